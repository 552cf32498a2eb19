"""Hypothesis in several threads at once (scenarios run side by side): serialise ``ast.parse``.

CPython before 3.13 keeps the AST validator's recursion depth in interpreter-wide state, so two
threads parsing at once can fail with ``SystemError: AST constructor recursion depth mismatch``
(python/cpython#106905). Hypothesis parses source in whichever thread runs a scenario (lambda
descriptions, filter rewriting, constants), so a generated scenario could end as "the suite could
not judge" for no fault of the target. Parsing under one lock costs nothing measurable here.
"""

from __future__ import annotations

import ast
import sys
import threading
from typing import Any

_LOCK = threading.Lock()
_PARSE = ast.parse


def _parse(*args: Any, **kwargs: Any) -> Any:
    with _LOCK:
        return _PARSE(*args, **kwargs)


def install() -> None:
    """Make ``ast.parse`` take the lock (once; not needed from 3.13 on)."""
    if sys.version_info < (3, 13) and ast.parse is _PARSE:
        ast.parse = _parse
