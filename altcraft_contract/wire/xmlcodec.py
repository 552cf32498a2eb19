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

from .. import endpoints
from ..contract import xsd
from ..contract.xsd import XML_SYNTAXES, Field, scalar

__all__ = ["XML_SYNTAXES", "XMLDecodeError", "decode_envelope", "decode_request", "decode_response", "encode_request",
           "encode_request_as", "parse", "scalar"]


class XMLDecodeError(ValueError):
    """The body is not well-formed XML, or it declares a DTD or entities."""


def _leaf(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: Element, name: str, value: Any) -> None:
    child = Element(name)
    if isinstance(value, dict):  # an object (the writes' profile_a, profile_b, weights): child elements
        for key, inner in value.items():
            _append(child, str(key), inner)
    else:
        child.text = _leaf(value) or None
    parent.append(child)


def encode_request(fields: Iterable[tuple[str, Any]], declaration: bool = False) -> bytes:
    """``<xml>`` with one child per field (X1); a null becomes an empty element (X3), an object
    nested elements."""
    root = Element("xml")
    for name, value in fields:
        _append(root, name, value)
    body = tostring(root, encoding="unicode", short_empty_elements=True).encode()
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n' + body) if declaration else body


# XML a conforming parser reads exactly as the plain document (X1 allows the declaration).
def encode_request_as(fields: Iterable[tuple[str, Any]], syntax: str) -> bytes:
    """The request written with one of ``XML_SYNTAXES`` (string texts as CDATA for "CDATA text")."""
    if syntax == "a declaration":
        return encode_request(fields, declaration=True)
    parts = []
    for name, value in fields:
        if syntax == "CDATA text" and isinstance(value, str) and "]]>" not in value:
            parts.append(f"<{name}><![CDATA[{value}]]></{name}>")
        else:
            parts.append(encode_request([(name, value)]).decode()[len("<xml>"):-len("</xml>")])
    if syntax == "a comment":
        return ("<xml><!-- get_counter -->" + "".join(parts) + "<!-- end --></xml>").encode()
    if syntax == "whitespace between elements":
        return ("<xml>\n  " + "\n  ".join(parts) + "\n</xml>\n").encode()
    return ("<xml>" + "".join(parts) + "</xml>").encode()


def parse(body: bytes) -> Element:
    """Parse with DTDs, entities and external references forbidden."""
    try:
        root: Element = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise XMLDecodeError(f"refused: {type(exc).__name__}") from None
    except Exception as exc:  # ParseError and expat errors: the body is simply not XML
        raise XMLDecodeError(str(exc)) from None
    return root


def _text(el: Element) -> str | None:
    """The element's text; None for an empty element (X3: a null is an empty element)."""
    if len(el) == 0 and not (el.text or "").strip():
        return None
    return el.text or ""


def _group(el: Element) -> dict[str, list[Element]]:
    out: dict[str, list[Element]] = {}
    for child in el:
        if isinstance(child.tag, str):
            out.setdefault(child.tag, []).append(child)
    return out


def _generic(el: Element) -> Any:
    """An element the XSD does not declare (D7): its text, or a dict of its children."""
    if len(el) == 0:
        return _text(el)
    return {name: (_generic(els[0]) if len(els) == 1 else [_generic(e) for e in els])
            for name, els in _group(el).items()}


def _value(el: Element, f: Field, doc: str) -> Any:
    if f.kind != "object":
        return scalar(_text(el), f)
    if f.shape == "map":  # X5: the keys are element names; an empty <props/> is {} (X2)
        items = xsd.model(doc, f.items) if f.items else Field("item", "object")
        return {child.tag: _value(child, items, doc) for child in el if isinstance(child.tag, str)}
    if len(el) == 0:
        if _text(el) is not None:
            return el.text  # text where an object belongs: the schemas report it
        if f.shape in ("nullable", "array"):
            return None
    return _object(el, f, doc)  # an empty property element is an object whose nulls are all absent


def _object(el: Element, f: Field, doc: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, els in _group(el).items():
        spec = f.children.get(name)
        if spec is None:
            out[name] = _generic(els[0]) if len(els) == 1 else [_generic(e) for e in els]
        elif spec.shape in ("array", "list"):  # X2: repeated siblings; X3: an empty or absent one is null
            items = [_value(e, spec, doc) for e in els if len(e) or _text(e) is not None]
            # A "list" is never null (relations/get's data): its empty element is the empty list.
            out[name] = items or (None if spec.shape == "array" else [])
        elif len(els) == 1:
            out[name] = _value(els[0], spec, doc)
        else:
            out[name] = [_value(e, spec, doc) for e in els]  # a repeated scalar: the schemas report it
    for name, spec in f.children.items():
        if name not in out and spec.shape in ("array", "nullable") and f.name in _FILLS_NULLS:
            out[name] = None  # X3: an absent element is a null
    return out


# Objects whose nullable members are always present in the JSON model (D4: top and sum).
_FILLS_NULLS = ("property",)


def decode_envelope(root: Element, path: str = endpoints.GET_COUNTER.path) -> dict[str, Any]:
    """The JSON model of an answer, typed as the response XSD of the endpoint at ``path`` types it."""
    doc = endpoints.by_path(path).response_xsd
    return _object(root, xsd.model(doc), doc)


def decode_request(root: Element) -> dict[str, Any]:
    """The fields of an XML request, typed as the request XSD types them (the reference uses it)."""
    fields = _object(root, xsd.model("request"), "request")
    for child in root:  # X3: an empty element is a null, whatever the field's type
        if isinstance(child.tag, str) and _text(child) is None and len(child) == 0:
            fields[child.tag] = None
    return fields


def decode_response(body: bytes, path: str = endpoints.GET_COUNTER.path, *, exact: bool = False) -> dict[str, Any]:
    """The JSON model of an XML answer; with ``exact``, numbers that are not integers as ``Decimal``."""
    token = xsd.EXACT.set(exact)
    try:
        return decode_envelope(parse(body), path)
    finally:
        xsd.EXACT.reset(token)
