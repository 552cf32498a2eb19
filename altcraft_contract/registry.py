"""The registry of named checks: ``@check("D2")`` functions that yield every violation they see.

A check reads one Exchange; a relational check compares several (M4, I1, P1) and is registered
too, so the report knows every check and its clause. A duplicate name is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from . import clauses, endpoints

if TYPE_CHECKING:
    from .client import Exchange
    from .failures import Failure
    from .target import Target

CheckFn = Callable[["Exchange", "Target"], Iterator["Failure"]]


@dataclass(frozen=True)
class Check:
    name: str
    clause: str  # "*" for the expectation check, whose clause is the call's
    stage: int  # 0 bytes, 1 envelope, 2 content; a failing stage stops the later ones
    applies: Callable[[Exchange], bool]
    func: CheckFn | None
    doc: str


REGISTRY: dict[str, Check] = {}


def _always(ex: Exchange) -> bool:
    return True


def _register(c: Check) -> None:
    if c.name in REGISTRY:
        raise ValueError(f"duplicate check name {c.name!r}")
    if c.clause != "*" and c.clause not in clauses.BY_ID:
        raise ValueError(f"check {c.name!r} names unknown clause {c.clause!r}")
    REGISTRY[c.name] = c


def check(clause: str, *, stage: int = 2, applies: Callable[[Exchange], bool] = _always) -> Callable[[CheckFn], CheckFn]:
    """Register a per-exchange check under its function name."""
    def deco(fn: CheckFn) -> CheckFn:
        _register(Check(fn.__name__, clause, stage, applies, fn, (fn.__doc__ or "").strip()))
        return fn
    return deco


def relational(clause: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a check that compares several exchanges; scenarios call it directly."""
    def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
        _register(Check(fn.__name__, clause, 3, _always, None, (fn.__doc__ or "").strip()))
        return fn
    return deco


@cache
def per_exchange() -> tuple[Check, ...]:
    """The per-exchange checks in stage order (the registry is complete once checks is imported)."""
    from . import checks  # noqa: F401  (registers the shared checks)

    endpoints.modules("checks")  # and each endpoint's own

    return tuple(sorted((c for c in REGISTRY.values() if c.func is not None), key=lambda c: c.stage))


def _belongs(c: Check, endpoint: str) -> bool:
    """A check of one endpoint's clause reads only that endpoint's answers (D1-D7 on get_counter's,
    G1-G6 on relations/get's, W1-W2 on the writes'); a check of a shared clause reads every answer."""
    owner = clauses.BY_ID[c.clause].endpoint if c.clause != "*" else None
    return owner is None or owner in (endpoint, endpoints.owner_of(endpoint))


def run_checks(ex: Exchange, target: Target) -> tuple[list[Failure], list[Check]]:
    """Every failure the per-exchange checks find, and the checks that ran and held."""
    failures: list[Failure] = []
    held: list[Check] = []
    stage_failed = -1
    endpoint = endpoints.by_path(ex.call.path).name
    for c in per_exchange():
        if stage_failed >= 0 and c.stage > stage_failed:
            break
        if not _belongs(c, endpoint) or not c.applies(ex):
            continue
        assert c.func is not None
        found = [f for f in c.func(ex, target)]
        errors = [f for f in found if f.severity == "error"]
        failures.extend(found)
        if errors:
            stage_failed = c.stage
        else:
            held.append(c)
    return failures, held
