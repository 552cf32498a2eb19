"""The checks, one module per clause family; importing the package registers them all."""

from . import consistency, data, envelope, links, outcome, parity, relational, transport, xml

__all__ = ["consistency", "data", "envelope", "links", "outcome", "parity", "relational", "transport", "xml"]
