"""The checks, one module per clause family; importing the package registers them all."""

from . import data, envelope, outcome, parity, relational, transport, xml

__all__ = ["data", "envelope", "outcome", "parity", "relational", "transport", "xml"]
