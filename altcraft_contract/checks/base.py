"""Helpers every check module shares: building a Failure from an Exchange."""

from __future__ import annotations

from typing import Any

from ..wire.client import Exchange
from ..wire.record import ExchangeRecord
from .failures import Failure


def fail(ex: Exchange, clause: str, check: str, title: str, message: str, *, received: Any = None,
         expected: Any = None, path: str = "", severity: str = "error") -> Failure:
    return Failure(clause, check, title, message, received, expected, path, severity,  # type: ignore[arg-type]
                   (ExchangeRecord.of(ex),))


def is_r6(ex: Exchange) -> bool:
    """A probe of R6 (no request makes the server fail)."""
    return ex.expect.clause == "R6"


def r6_owns(ex: Exchange) -> bool:
    """R6 probes own the envelope and status rules for their answers, but for a success: a probe
    whose text a server may read as the request (R6 with an outcome) is judged like any success
    by E1 and E4."""
    return is_r6(ex) and ex.error_code != 0


def media_type(value: str) -> str:
    return value.split(";", maxsplit=1)[0].strip().lower()
