"""Named checks: ``@check("D2")`` functions that yield every violation they see.

A check reads one Exchange; a relational check compares several (M4, I1, P1) and is listed too, so
the report knows every check and its clause. Each module keeps its own list (``CHECKS``, with
``check``/``relational`` as its decorators); ``checks/all.py`` joins the lists of an explicit set of
modules into the registry, where a duplicate name or an unknown clause is an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..contract import clauses
from ..contract.target import Target
from ..wire.client import Exchange
from .failures import Failure

CheckFn = Callable[[Exchange, Target], Iterator[Failure]]


@dataclass(frozen=True)
class Check:
    name: str
    clause: str  # "*" for the expectation check, whose clause is the call's
    stage: int  # 0 bytes, 1 envelope, 2 content; a failing stage stops the later ones
    applies: Callable[[Exchange], bool]
    func: CheckFn | None
    doc: str


def _always(ex: Exchange) -> bool:
    return True


class CheckList(list[Check]):
    """One module's checks, in the order it defines them."""

    def check(self, clause: str, *, stage: int = 2,
              applies: Callable[[Exchange], bool] = _always) -> Callable[[CheckFn], CheckFn]:
        """List a per-exchange check under its function name."""
        def deco(fn: CheckFn) -> CheckFn:
            self.append(Check(fn.__name__, clause, stage, applies, fn, (fn.__doc__ or "").strip()))
            return fn
        return deco

    def relational(self, clause: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """List a check that compares several exchanges; scenarios call it directly."""
        def deco(fn: Callable[..., Any]) -> Callable[..., Any]:
            self.append(Check(fn.__name__, clause, 3, _always, None, (fn.__doc__ or "").strip()))
            return fn
        return deco


def join(lists: Iterable[CheckList]) -> dict[str, Check]:
    """The registry: every check of ``lists`` by name, in order."""
    out: dict[str, Check] = {}
    for checks in lists:
        for c in checks:
            if c.name in out:
                raise ValueError(f"duplicate check name {c.name!r}")
            if c.clause != "*" and c.clause not in clauses.BY_ID:
                raise ValueError(f"check {c.name!r} names unknown clause {c.clause!r}")
            out[c.name] = c
    return out
