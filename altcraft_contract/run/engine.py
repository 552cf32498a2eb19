"""Hypothesis in several threads at once: one lock for its engine, and ``ast.parse`` serialised.

Scenarios run side by side in threads, and the schemathesis module runs beside them, but parts of
Hypothesis' engine are not safe to enter from two threads at the same instant: its caches, and
`ast.parse` on Python 3.11 (describing a lambda from two threads at once fails with "AST
constructor recursion depth mismatch"; CI saw it). So an engine runs under this lock, and a test
body lets it go while it waits on the network. Kept apart from ``profiles`` so that tools which
only load our schemathesis checks (``st run``) do not get our Hypothesis profiles registered.
"""

from __future__ import annotations

import ast
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


# CPython before 3.13 keeps the AST validator's recursion depth in interpreter-wide state
# (python/cpython#106905); Hypothesis also parses source outside its engine's turn (in a test body,
# for instance), so every parse of the process takes a lock of its own as well.
_PARSE_LOCK = threading.Lock()
_PARSE = ast.parse


def _parse(*args: Any, **kwargs: Any) -> Any:
    with _PARSE_LOCK:
        return _PARSE(*args, **kwargs)


def serialise_parsing() -> None:
    """Make ``ast.parse`` take the lock (once; not needed from 3.13 on)."""
    if sys.version_info < (3, 13) and ast.parse is _PARSE:
        ast.parse = _parse
