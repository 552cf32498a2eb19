"""Typed results: a Failure has a fixed anatomy, and reporters read its fields, never strings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from ..wire.record import ExchangeRecord
from ..wire.redact import bounded, cut, redact, safe


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WAIVED = "waived"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class Diff:
    """One field that differs between two format combinations of the same call (P1): ``json_value``
    from the JSON request answered in JSON, ``xml_value`` from the other (``Failure.diff_labels``)."""

    path: str
    json_value: Any
    xml_value: Any


@dataclass(frozen=True)
class Failure:
    clause: str
    check: str
    title: str
    message: str
    received: Any = None
    expected: Any = None
    path: str = ""
    severity: Literal["error", "note"] = "error"  # a note (D7) is listed, never failed
    exchanges: tuple[ExchangeRecord, ...] = ()
    diffs: tuple[Diff, ...] = ()
    diff_labels: tuple[str, str] = ("JSON", "XML")  # what the two sides of ``diffs`` were

    def __post_init__(self) -> None:
        # A failure may quote the target's answer: keep it bounded and free of the token from the
        # moment it exists, whatever later reads it.
        for name in ("title", "message", "path"):
            object.__setattr__(self, name, redact(cut(getattr(self, name))))
        object.__setattr__(self, "received", bounded(self.received))
        object.__setattr__(self, "expected", bounded(self.expected))
        if self.diffs:
            object.__setattr__(self, "diffs", tuple(Diff(redact(cut(d.path, 300)), bounded(d.json_value),
                                                         bounded(d.xml_value)) for d in self.diffs[:50]))

    @property
    def group_key(self) -> tuple[str, str, str, str]:
        """Failures alike for a reader: same clause, check, path and kind of received value."""
        return self.clause, self.check, self.path, type(self.received).__name__

    def render(self) -> str:
        """The anatomy of schemathesis' failures: title, received/expected, request, response, curl.
        Text from the target is shown escaped on one line: it cannot drive a terminal or a CI log."""
        lines = [f"[{self.clause}] {safe(self.title, one_line=True)}", f"    {safe(self.message, one_line=True)}"]
        if self.path:
            lines.append(f"    at {safe(self.path, one_line=True)}")
        if self.received is not None or self.expected is not None:
            lines.append(f"    Received: {_short(self.received)}")
            lines.append(f"    Expected: {_short(self.expected)}")
        for d in self.diffs:
            lines.append(f"    {safe(d.path, one_line=True)}: {self.diff_labels[0]}: {_short(d.json_value)} | "
                         f"{self.diff_labels[1]}: {_short(d.xml_value)}")
        for rec in self.exchanges:
            lines.append(f"    Request: {rec.method} {safe(rec.url, one_line=True)}  "
                         f"{safe(rec.request_body[:300], one_line=True)}")
            lines.append(f"    Response: HTTP {rec.status}  {safe(rec.response_body[:300], one_line=True)}")
            lines.append(f"    Reproduce with: {safe(rec.curl, one_line=True)}")
        return "\n".join(lines)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return safe(text if len(text) < 300 else text[:300] + "...", one_line=True)


def render_grouped(failures: list[Failure], limit: int = 10,
                   shown: dict[tuple[str, str, str, str], str] | None = None, where: str = "") -> str:
    """Failures as cards, alike ones (``group_key``) as one card with a count and an example. With
    ``shown`` (group -> where its card was printed), a group already printed elsewhere is one line."""
    groups: dict[tuple[str, str, str, str], list[Failure]] = {}
    for f in failures:
        groups.setdefault(f.group_key, []).append(f)
    cards = []
    for key, alike in list(groups.items())[:limit]:
        if shown is not None and key in shown:
            cards.append(f"[{alike[0].clause}] {safe(alike[0].title, one_line=True)}: {len(alike)} alike failure(s), "
                         f"as shown in full under {shown[key]}")
            continue
        if shown is not None:
            shown[key] = where
        card = alike[0].render()
        if len(alike) > 1:
            card = card.replace("\n", f"\n    ({len(alike)} alike: the same failure on {len(alike)} answers; "
                                "the first is shown)\n", 1)
        cards.append(card)
    if len(groups) > limit:
        cards.append(f"... and {len(groups) - limit} more kinds of failure (see the report)")
    return "\n".join(cards)


@dataclass
class ContractViolation(AssertionError):
    """Raised by a scenario whose target broke the contract; carries every non-waived failure."""

    failures: list[Failure] = field(default_factory=list)

    def __str__(self) -> str:
        clauses = sorted({f.clause for f in self.failures})
        head = f"{len(self.failures)} contract failure(s) in {', '.join(clauses)}"
        return head + "\n" + render_grouped(self.failures)
