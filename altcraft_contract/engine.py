"""One lock for Hypothesis' engine, shared by every thread of a run that drives it.

Scenarios run side by side in threads, and the schemathesis module runs beside them, but parts of
Hypothesis' engine are not safe to enter from two threads at the same instant: its caches, and
`ast.parse` on Python 3.11 (describing a lambda from two threads at once fails with "AST
constructor recursion depth mismatch"; CI saw it). So an engine runs under this lock, and a test
body lets it go while it waits on the network. Kept apart from ``profiles`` so that tools which
only load our schemathesis checks (``st run``) do not get our Hypothesis profiles registered.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

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
