"""The checks of the clauses every endpoint shares, one module per clause family; each endpoint's
own checks live in its folder (``endpoints/<name>/checks.py``). ``registry.per_exchange`` imports
both, which registers them all."""

from . import envelope, outcome, parity, relational, transport, xml

__all__ = ["envelope", "outcome", "parity", "relational", "transport", "xml"]
