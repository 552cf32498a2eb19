"""Hypothesis settings profiles: ``quick`` (CI on every push), ``default``, ``thorough`` (nightly)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import InvalidArgument

from .errors import SuiteInputError

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


# Hypothesis' engine is run by several threads (scenarios run side by side), but parts of it are
# not safe to run at the same instant: its caches, and `ast.parse` on Python 3.11 (describing a
# lambda from two threads at once fails with "AST constructor recursion depth mismatch"). So the
# engine runs under one lock, and a test body lets it go while it waits on the network.
_ENGINE = threading.Lock()
_HOLDS = threading.local()


@contextmanager
def engine_held() -> Iterator[None]:
    """Run Hypothesis' engine (generation, shrinking) with no other thread inside it."""
    with _ENGINE:
        _HOLDS.held = True
        try:
            yield
        finally:
            _HOLDS.held = False


@contextmanager
def engine_released() -> Iterator[None]:
    """Inside a test body: let other threads' engines run while this one sends and checks."""
    if not getattr(_HOLDS, "held", False):
        yield
        return
    _HOLDS.held = False
    _ENGINE.release()
    try:
        yield
    finally:
        _ENGINE.acquire()
        _HOLDS.held = True
