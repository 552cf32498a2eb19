"""Checks that compare several answers: T3 (body vs header token), M4 (modes), I1 (repeats)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..wire.client import Exchange
from ..wire.record import ExchangeRecord
from .failures import Diff, Failure
from .registry import CheckList
from .views import comparable

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
relational = CHECKS.relational


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def diff(a: Any, b: Any, path: str = "$") -> list[Diff]:
    """Field-by-field differences; numbers compare by value (20 == 20.0), key order is free."""
    if _num(a) and _num(b):
        return [] if a == b else [Diff(path, a, b)]
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[Diff] = []
        for k in list(a) + [k for k in b if k not in a]:
            out += diff(a.get(k, "<absent>"), b.get(k, "<absent>"), f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in diff(x, y, f"{path}[{i}]")]
    return [] if (a == b and type(a) is type(b)) else [Diff(path, a, b)]


def _compare(clause: str, name: str, title: str, first: Exchange, others: Sequence[Exchange],
             fields: tuple[str, ...]) -> Iterator[Failure]:
    base = comparable(first.envelope)
    for other in others:
        diffs: list[Diff] = []
        view = comparable(other.envelope)
        for f in fields:
            diffs += diff(base.get(f), view.get(f), f"$.{f}")
        if diffs:
            yield Failure(clause, name, title, f"{len(diffs)} field(s) differ", path=diffs[0].path,
                          exchanges=(ExchangeRecord.of(first), ExchangeRecord.of(other)), diffs=tuple(diffs))


def _successes(exchanges: Sequence[Exchange]) -> list[Exchange]:
    return [e for e in exchanges if e.ok and isinstance(e.data, dict)]


@relational("M4")
def same_data_across_modes(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
    """Every matching mode that finds the same profile returns the same data."""
    ok = _successes(exchanges)
    if len(ok) > 1:
        yield from _compare("M4", "same_data_across_modes", "Matching modes disagree about one profile",
                            ok[0], ok[1:], ("data",))


@relational("T3")
def same_result_body_or_header_token(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
    """A token in the body and in the Authorization header give the same answer."""
    if len(exchanges) > 1:
        yield from _compare("T3", "same_result_body_or_header_token", "Body and header tokens give different answers",
                            exchanges[0], exchanges[1:], ("error", "error_text", "data", "total_count"))


@relational("I1")
def same_answer_twice(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
    """The same request twice gives the same answer (get_counter only reads)."""
    if len(exchanges) > 1 and all(isinstance(e.envelope, dict) for e in exchanges):
        yield from _compare("I1", "same_answer_twice", "A repeated request was answered differently",
                            exchanges[0], exchanges[1:], ("error", "error_text", "data", "total_count"))
