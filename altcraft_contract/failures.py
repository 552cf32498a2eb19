"""Typed results: a Failure has a fixed anatomy, and reporters read its fields, never strings."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from .client import Exchange

BODY_LIMIT = 4000  # characters of a body kept in a record


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WAIVED = "waived"
    NOT_RUN = "not run"


@dataclass(frozen=True)
class ExchangeRecord:
    """A request and its answer as reports show them; the token is already a placeholder."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str
    status: int | None
    response_headers: dict[str, str]
    response_body: str
    curl: str
    elapsed_ms: float

    @classmethod
    def of(cls, ex: Exchange) -> ExchangeRecord:
        body = ex.text if ex.text is not None else ex.body.decode("utf-8", errors="replace")
        return cls(ex.call.method, ex.url, dict(ex.request_headers), ex.request_body[:BODY_LIMIT], ex.status,
                   dict(ex.response_headers), body[:BODY_LIMIT], ex.curl, round(ex.elapsed * 1000, 2))


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

    def render(self) -> str:
        """The anatomy of schemathesis' failures: title, received/expected, request, response, curl."""
        lines = [f"[{self.clause}] {self.title}", f"    {self.message}"]
        if self.path:
            lines.append(f"    at {self.path}")
        if self.received is not None or self.expected is not None:
            lines.append(f"    Received: {_short(self.received)}")
            lines.append(f"    Expected: {_short(self.expected)}")
        for d in self.diffs:
            lines.append(f"    {d.path}: {self.diff_labels[0]}: {_short(d.json_value)} | "
                         f"{self.diff_labels[1]}: {_short(d.xml_value)}")
        for rec in self.exchanges:
            lines.append(f"    Request: {rec.method} {rec.url}  {rec.request_body[:300]}")
            lines.append(f"    Response: HTTP {rec.status}  {rec.response_body[:300]}")
            lines.append(f"    Reproduce with: {rec.curl}")
        return "\n".join(lines)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) < 300 else text[:300] + "..."


@dataclass
class ContractViolation(AssertionError):
    """Raised by a scenario whose target broke the contract; carries every non-waived failure."""

    failures: list[Failure] = field(default_factory=list)

    def __str__(self) -> str:
        clauses = sorted({f.clause for f in self.failures})
        head = f"{len(self.failures)} contract failure(s) in {', '.join(clauses)}"
        return head + "\n" + "\n".join(f.render() for f in self.failures[:10])


class TransportProblem(Exception):
    """The target could not be talked to (refused, reset, timeout, a proxy's 502): not a contract failure."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind

    @property
    def target_down(self) -> bool:
        """Problems that mean nobody answers, so later scenarios need not try."""
        return self.kind in ("connection refused", "timeout", "gateway")


class NotRun(Exception):
    """The scenario cannot run on this target; the message says why."""


class BudgetExhausted(NotRun):
    """The run's request budget is spent; what is left is reported as not run."""
