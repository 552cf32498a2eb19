"""P1: the same logical request gives the same error, error_text and data in JSON and in XML.

XML cannot tell some JSON values apart, so the comparison treats them as equal: an empty or absent
element and null (X3), an empty ``top`` and null, ``20`` and ``20.0``. Only documented fields are
compared (``views.comparable``); undocumented ones are D7's to list.
"""

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

ABSENT = "<absent>"
FIELDS = ("error", "error_text", "data", "total_count")  # total_count: relations/get's


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _scalar_text(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _empty(v: Any) -> bool:
    return v is None or v in (ABSENT, [], {}, "")


def parity_diff(j: Any, x: Any, path: str = "$") -> list[Diff]:
    """Differences between a JSON value and the decoded XML value at the same place."""
    if _empty(j) and _empty(x):
        return []
    if _num(j) and _num(x):
        return [] if j == x else [Diff(path, j, x)]
    if isinstance(x, str) and isinstance(j, (int, float, bool)):  # an undocumented field's text
        same = x.strip() == _scalar_text(j) or (_num(j) and _float_or_none(x) == j)
        return [] if same else [Diff(path, j, x)]
    if isinstance(j, dict) and isinstance(x, dict):
        out: list[Diff] = []
        for k in list(j) + [k for k in x if k not in j]:
            out += parity_diff(j.get(k, ABSENT), x.get(k, ABSENT), f"{path}.{k}")
        return out
    if isinstance(j, list) and isinstance(x, list) and len(j) == len(x):
        return [d for i, (a, b) in enumerate(zip(j, x, strict=True)) for d in parity_diff(a, b, f"{path}[{i}]")]
    return [] if (j == x and type(j) is type(x)) else [Diff(path, j, x)]


def _float_or_none(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@relational("P1")
def json_and_xml_agree(exchanges: Sequence[Exchange]) -> Iterator[Failure]:
    """Every combination of request and answer format gives the same error, error_text and data."""
    base = exchanges[0]
    for other in exchanges[1:]:
        if not (isinstance(base.envelope, dict) and isinstance(other.envelope, dict)):
            continue  # E1 reports a body that is not an envelope
        a, b = comparable(base.envelope), comparable(other.envelope)
        diffs = [d for f in FIELDS for d in parity_diff(a.get(f, ABSENT), b.get(f, ABSENT), f"$.{f}")]
        if diffs:
            labels = (_combo(base), _combo(other))
            yield Failure("P1", "json_and_xml_agree", "JSON and XML answers differ",
                          f"{len(diffs)} field(s) differ between {labels[0]} and {labels[1]}", path=diffs[0].path,
                          exchanges=(ExchangeRecord.of(base), ExchangeRecord.of(other)), diffs=tuple(diffs),
                          diff_labels=labels)


def _combo(ex: Exchange) -> str:
    return f"{ex.call.body_format.upper()} request -> {ex.call.answer.upper()} answer"
