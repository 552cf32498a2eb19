"""XML requests and answers (X1-X5): encode a Call's fields, decode an answer into the JSON model.

Parsing is defensive: no DTD, no entity expansion, no network (X6 applies to us too), so a
hostile target cannot make the suite read files, call out or hang.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from xml.etree.ElementTree import Element, tostring

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring


class XMLDecodeError(ValueError):
    """The body is not well-formed XML, or it declares a DTD or entities."""


def _leaf(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def encode_request(fields: Iterable[tuple[str, Any]], declaration: bool = False) -> bytes:
    """``<xml>`` with one child per field (X1); a null becomes an empty element (X3)."""
    root = Element("xml")
    for name, value in fields:
        child = Element(name)
        child.text = _leaf(value) or None
        root.append(child)
    body = tostring(root, encoding="unicode", short_empty_elements=True).encode()
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + body) if declaration else body


def parse(body: bytes) -> Element:
    """Parse with DTDs, entities and external references forbidden."""
    try:
        root: Element = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XMLDecodeError(f"refused: {type(exc).__name__}") from None
    except Exception as exc:  # ParseError and expat errors: the body is simply not XML
        raise XMLDecodeError(str(exc)) from None
    return root


def _number(text: str) -> int | float | str:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text  # left for the schema check to report


def _int(text: str) -> int | str:
    try:
        return int(text)
    except ValueError:
        return text


def _text(el: Element) -> str | None:
    """The element's text; None for an empty element (X3: a null is an empty element)."""
    if len(el) == 0 and not (el.text or "").strip():
        return None
    return el.text or ""


def _group(el: Element) -> dict[str, list[Element]]:
    out: dict[str, list[Element]] = {}
    for child in el:
        out.setdefault(child.tag, []).append(child)
    return out


def _generic(el: Element) -> Any:
    """An element the contract does not type (D7): text, or a dict of its children."""
    if len(el) == 0:
        return _text(el)
    return {name: (_generic(els[0]) if len(els) == 1 else [_generic(e) for e in els])
            for name, els in _group(el).items()}


def _scalar(els: list[Element], conv: Any) -> Any:
    if len(els) != 1:
        return [_scalar([e], conv) for e in els]
    text = _text(els[0])
    return None if text is None else conv(text)


def _top_item(el: Element) -> dict[str, Any]:
    kids = _group(el)
    item: dict[str, Any] = {k: _generic(v[0]) for k, v in kids.items()}
    if "profile_id" in kids:
        item["profile_id"] = _scalar(kids["profile_id"], str)
    if "value" in kids:
        item["value"] = _scalar(kids["value"], _number)
    return item


def _property(el: Element) -> dict[str, Any]:
    kids = _group(el)
    prop: dict[str, Any] = {k: _generic(v[0]) for k, v in kids.items()}
    # X2: top is repeated <top> elements; X3: empty or absent means null.
    tops = [t for t in kids.get("top", []) if len(t) > 0]
    prop["top"] = [_top_item(t) for t in tops] or None
    prop["sum"] = _scalar(kids["sum"], _number) if "sum" in kids else None
    if "total" in kids:
        prop["total"] = _scalar(kids["total"], _int)
    return prop


def _data(el: Element) -> Any:
    if len(el) == 0:
        return None if _text(el) is None else el.text
    kids = _group(el)
    data: dict[str, Any] = {k: _generic(v[0]) for k, v in kids.items()}
    for name in ("profile_id", "profile_xxh"):
        if name in kids:
            data[name] = _scalar(kids[name], str)
    if "total" in kids:
        data["total"] = _scalar(kids["total"], _int)
    if "props" in kids:
        props = kids["props"][0]
        data["props"] = {child.tag: _property(child) for child in props}  # X2: <props/> is {}
    return data


def decode_envelope(root: Element) -> dict[str, Any]:
    """The JSON model of an answer, typed as the contract types it (error is an integer, ...)."""
    kids = _group(root)
    env: dict[str, Any] = {k: _generic(v[0]) for k, v in kids.items()}
    if "error" in kids:
        env["error"] = _scalar(kids["error"], _int)
    if "error_text" in kids:
        text = _scalar(kids["error_text"], str)
        env["error_text"] = "" if text is None else text  # an empty element is an empty string here
    if "data" in kids:
        env["data"] = _data(kids["data"][0])
    return env


def decode_response(body: bytes) -> dict[str, Any]:
    return decode_envelope(parse(body))
