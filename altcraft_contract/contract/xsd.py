"""The XSD documents in ``schemas/``: validation, and the JSON model the decoder reads from them.

Each element declaration gives the decoder its JSON type (integer, number, string, object) and,
through the ``ac:json`` annotation, its shape: ``array`` (repeated siblings, X2), ``map`` (keys are
element names, X5; values are the global element named by ``ac:items``) or ``nullable`` (an empty
or absent element is null, X3). Nothing about the XML shape is typed twice.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any, Literal

import xmlschema

from .schemas import SCHEMA_DIR

AC = "{urn:altcraft-contract}"
XS = "{http://www.w3.org/2001/XMLSchema}"
Kind = Literal["integer", "number", "string", "int_or_string", "number_or_boolean", "object"]
# "list": an array that is never null (an empty element is [], not null).
Shape = Literal["scalar", "array", "list", "map", "nullable"]


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    shape: Shape = "scalar"
    children: dict[str, Field] = field(default_factory=dict)
    items: str | None = None  # for a map: the global element its values are


@cache
def schema(name: str) -> xmlschema.XMLSchema11:
    """``schemas/<name>.xsd`` as an XSD 1.1 schema (open content needs 1.1)."""
    return xmlschema.XMLSchema11(str(SCHEMA_DIR / f"{name}.xsd"))


def response_schema(api_version: str) -> xmlschema.XMLSchema11:
    return schema(f"response-{api_version}")


def _simple_kind(t: Any, s: xmlschema.XMLSchema11) -> Kind:
    members = list(getattr(t, "member_types", None) or [t])
    builtin = s.maps.types

    def kind(m: Any) -> Kind:
        if m.is_derived(builtin[f"{XS}integer"]):
            return "integer"
        if any(m.is_derived(builtin[f"{XS}{n}"]) for n in ("double", "decimal", "float")):
            return "number"
        if m.is_derived(builtin[f"{XS}boolean"]):
            return "number_or_boolean"  # only booleans beside numbers are declared (G5)
        return "string"

    names = {kind(m) for m in members}
    if names == {"integer", "string"}:
        return "int_or_string"
    if "number_or_boolean" in names:
        return "number_or_boolean"
    return "number" if "number" in names else "integer" if "integer" in names else "string"


def _fields(xsd_type: Any, s: xmlschema.XMLSchema11, depth: int = 0) -> dict[str, Field]:
    out: dict[str, Field] = {}
    content = getattr(xsd_type, "content", None)
    if content is None or not hasattr(content, "iter_elements") or depth > 5:
        return out
    for el in content.iter_elements():
        if not isinstance(el, xmlschema.validators.XsdElement):
            continue  # wildcards: undocumented fields (D7)
        attrs = el.elem.attrib if el.elem is not None else {}
        shape: Shape = attrs.get(f"{AC}json", "scalar")  # type: ignore[assignment]
        if el.type.is_simple():
            out[el.local_name] = Field(el.local_name, _simple_kind(el.type, s), shape)
        else:
            out[el.local_name] = Field(el.local_name, "object", shape, _fields(el.type, s, depth + 1),
                                       attrs.get(f"{AC}items"))
    return out


@cache
def model(name: str, element: str = "xml") -> Field:
    """The JSON model of global element ``element`` in ``schemas/<name>.xsd``."""
    s = schema(name)
    el = s.elements[element]
    return Field(element, "object", "scalar", _fields(el.type, s))


# Set while an answer is decoded for exact arithmetic (C3, S1): numbers become Decimal, not float.
EXACT: ContextVar[bool] = ContextVar("exact_numbers", default=False)
_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


# X1 leaves an XML text's syntax free: a parser must read each of these forms as the same fields.
XML_SYNTAXES = ("a declaration", "a comment", "CDATA text", "whitespace between elements")


def scalar(text: str | None, f: Field) -> Any:
    """A leaf's text as the JSON value its XSD type gives; text that does not fit is kept as text
    so the schema checks report it."""
    if text is None:
        return None if f.shape == "nullable" or f.kind != "string" else ""
    t = text.strip()
    if f.kind in ("integer", "int_or_string", "number", "number_or_boolean"):
        try:
            return int(t)
        except ValueError:
            pass
    if f.kind in ("number", "number_or_boolean"):
        try:
            return Decimal(t) if EXACT.get() and _DECIMAL.fullmatch(t) else float(t)
        except ValueError:
            pass
    if f.kind == "number_or_boolean" and t in ("true", "false"):
        return t == "true"
    return text
