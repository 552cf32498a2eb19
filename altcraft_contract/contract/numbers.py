"""Numbers as the contract compares them: exact from their text, then within the tolerance the
contract grants (C3, S1: 1e-9 relative).

Every prediction the suite makes (C3's sums, S1's values, W4 and W8's results) is computed here as
a ``Fraction`` from the text of the numbers involved: the answers' numbers are parsed as
``Decimal`` from their text (``wire/client.Exchange.exact``), ours are the text we sent. No double
arithmetic, so a cancellation (1e16 + 1.5 - 1e16) cannot make the suite wrong.

The tolerance is the contract's and no more: 1e-9 relative to the larger of the two values. A
server that keeps doubles passes wherever its doubles are within that (ordinary values); one whose
doubles a cancellation makes wrong (1e16 + 1.5 - 1e16 shown as 2) is not the exact sum C3 asks for.

Kinds are compared before values: ``true`` is not ``1``, ``5`` equals ``5.0``.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

REL = Fraction(1, 10**9)  # the contract's relative tolerance


def exact(v: Any) -> Fraction | None:
    """The exact value of a number, None for anything else (a boolean is not a number). A float is
    taken as the shortest text that reads back as it: the text JSON and XML carry."""
    if isinstance(v, bool):
        return None
    if isinstance(v, Exact):
        return v.value
    if isinstance(v, (int, Fraction)):
        return Fraction(v)
    if isinstance(v, Decimal):
        return Fraction(v) if v.is_finite() else None
    if isinstance(v, float):
        return Fraction(Decimal(repr(v))) if math.isfinite(v) else None
    return None


def is_number(v: Any) -> bool:
    return exact(v) is not None


@dataclass(frozen=True, eq=False)
class Exact:
    """A predicted number, exactly: equal to any number of the same value, never to a boolean, and
    shown as its digits."""

    value: Fraction

    @classmethod
    def of(cls, v: Any) -> Exact:
        x = exact(v)
        if x is None:
            raise TypeError(f"not a number: {v!r}")
        return v if isinstance(v, Exact) else cls(x)

    def __add__(self, other: Any) -> Exact:
        return Exact(self.value + Exact.of(other).value)

    def __sub__(self, other: Any) -> Exact:
        return Exact(self.value - Exact.of(other).value)

    def __eq__(self, other: object) -> bool:
        """Equal to any number of the same exact value (``5 == 5.0``), never to a boolean."""
        x = exact(other)
        return x is not None and x == self.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __repr__(self) -> str:
        return text(self.value)


def sum_of(values: Iterable[Any]) -> Exact:
    """The exact sum of numbers."""
    return Exact(sum((Exact.of(v).value for v in values), Fraction(0)))


def close(expected: Any, got: Any) -> bool:
    """``got`` equals ``expected`` (a number or an ``Exact`` prediction) to 1e-9 relative."""
    e, g = exact(expected), exact(got)
    if e is None or g is None:
        return False
    return abs(e - g) <= REL * max(abs(e), abs(g))


def same(expected: Any, got: Any) -> bool:
    """Equal as the contract compares values: booleans exactly and only to booleans, numbers with
    ``close`` (absent is not handled here: see ``endpoints/writes/model.py``)."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return isinstance(expected, bool) and isinstance(got, bool) and expected == got
    return close(expected, got)


def to_plain(x: Fraction) -> int | Decimal:
    """The number a request carries for ``x``: an int when whole, else the exact Decimal (every
    prediction is a sum of decimal texts, so it has a finite decimal expansion)."""
    if x.denominator == 1:
        return int(x)
    d, twos, fives = x.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:  # not a finite decimal (no sum of decimal texts gives one): the closest Decimal
        return Decimal(x.numerator) / Decimal(x.denominator)
    k = max(twos, fives)  # the denominator divides 10**k
    return Decimal(x.numerator * (10**k // x.denominator)).scaleb(-k)


def text(x: Fraction) -> str:
    """``x`` as a person reads it: plain digits where that is short, else scientific notation."""
    v = to_plain(x)
    if isinstance(v, int):
        return str(v)
    s = format(v, "f")
    return s if len(s) <= 30 else str(v)


def plain(value: Any) -> Any:
    """``value`` with its exact numbers made JSON's own (for reports): a Decimal that a double holds
    exactly as a float, any other as its text; a prediction as its value, the same way."""
    if isinstance(value, Exact):
        value = to_plain(value.value)
    elif isinstance(value, Fraction):
        value = to_plain(value)
    if isinstance(value, Decimal):
        f = float(value)
        return f if math.isfinite(f) and Decimal(repr(f)) == value else str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def json_dumps(value: Any, indent: int | None = None) -> str:
    """JSON text in which a ``Decimal`` goes as its own digits (a value read exactly and written
    back, or kept exact by a server), so what is written is exactly what was read."""
    mark = f"\ue001{secrets.token_hex(8)}"  # no string of the fields can hold it by chance

    def number_text(o: Any) -> str:
        if isinstance(o, Decimal) and o.is_finite():
            return f"{mark}{o}{mark}"
        raise TypeError(f"{type(o).__name__} is not JSON serializable")

    text = json.dumps(value, ensure_ascii=False, indent=indent, default=number_text)
    return re.sub(f'"{mark}([^"]*){mark}"', r"\1", text) if mark in text else text
