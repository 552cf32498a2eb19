"""Layer 5, scenarios: named probes, tables and Hypothesis strategies that drive a Session, one pytest
item each; ``all.py`` lists them."""
