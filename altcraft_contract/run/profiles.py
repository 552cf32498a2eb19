"""Hypothesis settings profiles: ``quick`` (CI on every push), ``default``, ``thorough`` (nightly)."""

from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import InvalidArgument

from ..errors import SuiteInputError

# No deadline: the round trip is the target's, not ours. No database: runs must not depend on
# what an earlier run against another target found. No explain phase: it traces every line the
# suite runs while it replays a failure (slow, and it holds on to what those lines allocated).
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
           "database": None, "print_blob": False, "phases": _PHASES}
PROFILES = {"quick": 12, "default": 50, "thorough": 300}
for _name, _n in PROFILES.items():
    settings.register_profile(_name, max_examples=_n, **_COMMON)  # type: ignore[arg-type]


def resolve(name: str | None) -> str:
    """The profile a run uses: the one named on the command line, else our ``default``.

    Read from the option, never from Hypothesis' current profile: Hypothesis loads its own ``ci``
    profile whenever ``CI`` is set, and its pytest plugin loads the chosen one only after ours has
    configured, so the "current" profile at that moment is neither what the user asked for nor ours.
    Any registered profile is accepted (a user's conftest may add one).
    """
    chosen = name or "default"
    try:
        settings.get_profile(chosen)
    except InvalidArgument as exc:  # not registered
        raise SuiteInputError(f"unknown Hypothesis profile {chosen!r}",
                              f"use --hypothesis-profile {' | '.join(PROFILES)}") from exc
    return chosen


def settings_for(name: str) -> settings:
    """``name``'s settings with the parts a contract run depends on forced (see ``_COMMON``)."""
    return settings(settings.get_profile(name), deadline=None, database=None, phases=_PHASES)

