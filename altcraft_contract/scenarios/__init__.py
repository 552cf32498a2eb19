"""Scenarios: named probes and generated runs, each turned into one pytest item."""
