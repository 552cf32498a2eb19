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
    """R6 probes own the envelope and status rules for their answers."""
    return ex.expect.clause == "R6"


def media_type(value: str) -> str:
    return value.split(";", maxsplit=1)[0].strip().lower()
