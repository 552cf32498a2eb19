"""The endpoints the suite checks: each lives in its own folder, registered here once.

Shared by every endpoint: the wire (client, gate, session), the T, E1, E2.text, E3, E4, M, R, X,
P and I clauses and their checks and scenarios, the target file, the reports. Each folder under
``endpoints/`` holds what belongs to its endpoint: its ``Package`` (endpoints, paths, schema and
XSD names, clauses) in ``__init__.py``, its per-answer checks (``checks.py``), its own scenarios
(``scenarios.py``), and in the reference endpoint its behaviour (``reference.py``) and the faults
of its clauses (``faults.py``); each file sits in the layer its name says (ARCHITECTURE.md). Adding
an endpoint is a new folder, its schema documents in ``schemas/`` and one name in ``REGISTERED``.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from .base import BASE, Endpoint, Package, use_paths

__all__ = ["BASE", "ENDPOINTS", "GET", "GET_COUNTER", "PACKAGES", "READS", "WRITES", "Endpoint", "Package", "by_path", "get",
           "modules", "owner_of", "use_paths"]

REGISTERED = ("get_counter", "get", "writes")  # the endpoint folders, in report order

PACKAGES: tuple[Package, ...] = tuple(importlib.import_module(f".{name}", __name__).PACKAGE for name in REGISTERED)
ENDPOINTS: dict[str, Endpoint] = {e.name: e for p in PACKAGES for e in p.endpoints}
GET_COUNTER = ENDPOINTS["get_counter"]  # the endpoint the shared scenarios are written against
GET = ENDPOINTS["get"]
READS = tuple(name for name, e in ENDPOINTS.items() if e.kind == "read")
WRITES = tuple(name for name, e in ENDPOINTS.items() if e.kind == "write")


def modules(kind: str) -> list[ModuleType]:
    """Each registered folder's ``<kind>.py`` (checks, scenarios, faults), imported by name: the
    layer that joins them (``checks/all.py``, ``scenarios/all.py``, ``reference/catalogue.py``)
    reads each module's own list."""
    found = []
    for name in REGISTERED:
        try:
            found.append(importlib.import_module(f".{name}.{kind}", __name__))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}.{kind}":
                raise  # a missing import inside the module is a bug, not an absent module
    return found


@cache  # asked for every check of every answer (checks/all.run_checks)
def owner_of(name: str) -> str | None:
    """The owner its folder gives an endpoint's clauses (the writes share theirs: "writes")."""
    return next((p.owner for p in PACKAGES if any(e.name == name for e in p.endpoints)), None)


def by_path(path: str) -> Endpoint:
    """The endpoint a request path names (a trailing slash is the same path); get_counter for any
    other path, since the probes of unknown paths read their answers as get_counter's."""
    stripped = path.split("?", maxsplit=1)[0].rstrip("/")
    for e in ENDPOINTS.values():
        if e.path == stripped:
            return e
    return GET_COUNTER


def get(name: str) -> Endpoint:
    if name not in ENDPOINTS:
        raise KeyError(f"unknown endpoint {name!r}; known: {', '.join(ENDPOINTS)}")
    return ENDPOINTS[name]
