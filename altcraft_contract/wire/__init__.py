"""Layer 2, the wire: the client (the token only on the wire), the one gate every request passes
(budget, rate, timeout, 429, bounded read), the XML codec, redaction, and what a report keeps of an
exchange."""
