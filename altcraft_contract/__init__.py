"""Contract and compliance suite for the Altcraft Platform API (relations/get_counter)."""

__version__ = "0.1.0"
