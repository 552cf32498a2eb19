"""How the reference reads a read request's text where RFC 8259 and XML 1.0 leave it to the
reader: a key twice (the first wins, the last wins, or the text is refused), a repeated XML element,
numbers beyond a double (read as doubles, exactly, or refused), a byte order mark (refused or
ignored). ``Style`` names the choice; the conformance variants make the others."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from .render import Style

INT64 = 2**63


def _pairs(how: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if how == "refuse" and len(set(keys)) != len(keys):
            raise ValueError("a key twice")
        return dict(reversed(pairs)) if how == "first" else dict(pairs)
    return hook


def _exact(text: str) -> int | float:
    """A number with a fraction or an exponent, exactly: an integer when it is one (1e400, 3E0)."""
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(text)


def _bounded_float(text: str) -> float:
    value = float(text)
    mantissa = text.lower().split("e")[0].strip("-+0.")
    if value in (float("inf"), float("-inf")) or (value == 0 and mantissa):
        raise ValueError("a number beyond a double")
    return value


def _bounded_int(text: str) -> int:
    value = int(text)
    if not -INT64 <= value < INT64:
        raise ValueError("an integer beyond 64 bits")
    return value


def json_document(raw: bytes, style: Style) -> Any:
    """The JSON text read as ``style`` says; ValueError (or RecursionError) when it is refused."""
    text = raw.decode("utf-8")
    if style.bom == "accept":
        text = text.removeprefix("\ufeff")
    kw: dict[str, Any] = {}
    if style.duplicate_keys != "last":
        kw["object_pairs_hook"] = _pairs(style.duplicate_keys)
    if style.huge_numbers == "exact":
        kw["parse_float"] = _exact
    elif style.huge_numbers == "refuse":
        kw.update(parse_float=_bounded_float, parse_int=_bounded_int)
    return json.loads(text, **kw)


def xml_repeats(root: Element, style: Style) -> Element | None:
    """``root`` with one child per name, the first or the last of repeated ones as ``style`` says;
    None when it refuses repeated elements (or when there are none)."""
    names = [child.tag for child in root]
    if len(set(names)) == len(names) or style.xml_repeats == "refuse":
        return None
    keep: dict[Any, Element] = {}
    for child in root:
        if style.xml_repeats == "last" or child.tag not in keep:
            keep[child.tag] = child
    flat = Element(root.tag)
    flat.extend(keep.values())
    return flat
