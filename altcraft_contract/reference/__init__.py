"""The embedded reference endpoint: the contract at its strictest reading, with a fault catalogue."""
