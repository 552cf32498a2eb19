"""Writing the independent implementation's answers: JSON (with exact decimals: a ``Decimal`` is
written as its own text, never through a double) and XML in each style's form, and the numbers
of each style.

Style a writes numbers as doubles (``20.0``), except where a double would not be the value: an
integer beyond 2^53 is written with all its digits. Style b writes them as stored: integers as
integers, other decimals as their shortest double. With the ``exact`` freedom every non-integer
is written as its exact decimal text (``1.5``, ``123456789.123456789123``, ``1E-7``).
"""

from __future__ import annotations

import json
import math
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import Any
from xml.sax.saxutils import escape

Number = int | float | Decimal | Fraction


def exact_decimal(x: Fraction) -> Decimal:
    """A fraction whose denominator is 2^a 5^b (any sum of doubles and decimals) as the Decimal it is."""
    num, den = x.numerator, x.denominator
    with localcontext() as ctx:
        ctx.prec = len(str(abs(num))) + 4 * len(str(den)) + 8
        return Decimal(num) / Decimal(den)


def number(x: Number, style: str, exact: bool = False) -> Any:
    """A stored or summed number (never a boolean) as this style writes it."""
    if isinstance(x, Fraction):
        if x.denominator == 1:
            x = x.numerator
        elif exact:
            return exact_decimal(x)
        else:
            return float(x)
    if isinstance(x, Decimal):
        if x == x.to_integral_value():
            x = int(x)
        elif exact:
            return x
        else:
            return float(x)
    if isinstance(x, int):
        if style == "b":
            return x
        f = float(x)
        return f if f == x else Decimal(x)  # all its digits, not the nearest double
    return x  # a float


def exact_sum(values: list[Any]) -> Fraction:
    """The exact sum of ints, floats and Decimals (no double sum: 1e16 + 1.5 + -1e16 is 1.5)."""
    return sum((Fraction(v) for v in values), Fraction(0))


# ----------------------------------------------------------------------------------------- JSON

def _number_text(v: Decimal) -> str:
    return str(v)  # 1.5, 1E+16, 1E-7, -0: all JSON numbers


def dumps(v: Any, *, indent: int | None = None, sort_keys: bool = False, ensure_ascii: bool = True,
          level: int = 0) -> str:
    """json.dumps with Decimals written exactly (and non-finite floats as null)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return _number_text(v)
    if isinstance(v, (int, float, str)):
        return json.dumps(v, ensure_ascii=ensure_ascii)
    kw: dict[str, Any] = {"indent": indent, "sort_keys": sort_keys, "ensure_ascii": ensure_ascii, "level": level + 1}
    pad = "" if indent is None else "\n" + " " * (indent * (level + 1))
    end = "" if indent is None else "\n" + " " * (indent * level)
    colon = ":" if indent is None else ": "
    if isinstance(v, dict):
        if not v:
            return "{}"
        keys = sorted(v) if sort_keys else list(v)
        items = [f"{pad}{json.dumps(str(k), ensure_ascii=ensure_ascii)}{colon}{dumps(v[k], **kw)}" for k in keys]
        return "{" + ",".join(items) + end + "}"
    if isinstance(v, (list, tuple)):
        if not v:
            return "[]"
        return "[" + ",".join(f"{pad}{dumps(i, **kw)}" for i in v) + end + "]"
    raise TypeError(f"not JSON: {type(v).__name__}")


def json_body(env: dict[str, Any], style: str) -> bytes:
    text = dumps(env, ensure_ascii=False) if style == "b" else dumps(env, indent=4, sort_keys=True)
    return text.encode("utf-8", "replace")


# ------------------------------------------------------------------------------------------ XML

def _leaf(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal):
        return _number_text(v)
    return str(v)


def xml_pretty(name: str, v: Any, depth: int = 0) -> str:
    """Style b: natural order, two-space indentation, nulls as empty elements, texts in CDATA."""
    pad = "\n" + "  " * depth
    if v is None:
        return f"{pad}<{name}/>"
    if isinstance(v, dict):
        inner = "".join(xml_pretty(k, i, depth + 1) for k, i in v.items())
        return f"{pad}<{name}>{inner}{pad}</{name}>" if inner else f"{pad}<{name}></{name}>"
    if isinstance(v, list):
        return "".join(xml_pretty(name, i, depth) for i in v) or f"{pad}<{name}/>"
    if isinstance(v, str):
        return f"{pad}<{name}><![CDATA[{v.replace(']]>', ']]]]><![CDATA[>')}]]></{name}>"
    return f"{pad}<{name}>{_leaf(v)}</{name}>"


def xml_sorted(name: str, v: Any) -> str:
    """Style a: alphabetical elements, absent nulls (X3)."""
    if v is None:
        return ""
    if isinstance(v, dict):
        inner = "".join(xml_sorted(k, v[k]) for k in sorted(v))
        return f"<{name}>{inner}</{name}>" if inner else f"<{name}/>"
    if isinstance(v, list):
        return "".join(xml_sorted(name, i) for i in v) or f"<{name}/>"
    return f"<{name}>{escape(_leaf(v))}</{name}>"


def xml_body(env: dict[str, Any], style: str) -> bytes:
    if style == "b":
        return xml_pretty("xml", env).lstrip("\n").encode("utf-8", "replace")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml_sorted("xml", env)).encode("utf-8", "replace")
