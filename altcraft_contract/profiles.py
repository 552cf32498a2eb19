"""Hypothesis settings profiles: ``quick`` (CI on every push), ``default``, ``thorough`` (nightly)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

# No deadline: the round trip is the target's, not ours. No database: runs must not depend on
# what an earlier run against another target found.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
           "database": None, "print_blob": False}
PROFILES = {"quick": 12, "default": 50, "thorough": 300}
for _name, _n in PROFILES.items():
    settings.register_profile(_name, max_examples=_n, **_COMMON)  # type: ignore[arg-type]
