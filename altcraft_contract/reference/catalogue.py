"""The fault catalogue, built from an explicit list: the faults of the shared clauses (``faults/``,
one module per family), then each registered endpoint folder's ``faults.py``. Each module lists its
own faults (``FAULTS``); a name used twice is an error here, when the catalogue is built."""

from __future__ import annotations

from functools import cache
from types import ModuleType

from .. import endpoints
from .faults import NO_FAULT, Fault, identity, inputs, requests, texts, transport, xml

SHARED: tuple[ModuleType, ...] = (transport, requests, xml, inputs, texts, identity)


@cache
def catalogue() -> dict[str, Fault]:
    """Every fault, by name, in the order the modules list them."""
    out: dict[str, Fault] = {}
    for module in (*SHARED, *endpoints.modules("faults")):
        for f in module.FAULTS:
            if f.name in out:
                raise ValueError(f"duplicate fault {f.name!r} in {module.__name__}")
            out[f.name] = f
    return out


def get(name: str) -> Fault:
    if name in ("", "none"):
        return NO_FAULT
    faults = catalogue()
    if name not in faults:
        raise KeyError(f"unknown fault {name!r}; known: {', '.join(sorted(faults))}")
    return faults[name]


def listing(clause: str | None = None) -> list[str]:
    """The catalogue as lines (clause, name, description), by clause; only ``clause``'s when given."""
    faults = sorted(catalogue().values(), key=lambda f: (f.clause, f.name))
    return [f"{f.clause:<8} {f.name:<40} {f.description}" for f in faults
            if clause is None or f.clause.lower() == clause.lower()]
