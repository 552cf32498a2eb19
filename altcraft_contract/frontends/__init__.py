"""Layer 7, the front ends: the pytest plugin (the engine every run goes through), the mutation scorer,
schemathesis' checks."""
