"""Reading a request of the independent implementation: its bytes, its media type, and its text as
JSON (RFC 8259) or XML 1.0, from the grammars and the contract alone (R4, R6, X1-X6).

A body that is not JSON/XML, or parses but is not a request object, is a 400. What the grammars
leave to the implementation differs by style (``POLICY``):

=====================  ===========================  ===============================
                       style a                      style b
=====================  ===========================  ===============================
nesting depth          at most 64 (else 400)        at most 512 (else 400)
duplicate JSON keys    the last one wins            refused (400)
duplicate XML element  refused (400)                refused (400)
a UTF-8 BOM (JSON)     ignored (RFC 8259 allows)    refused (400)
a lone surrogate       refused (400)                replaced by U+FFFD
an id beyond int64     refused (400)                an unknown id (R5)
XML attributes         ignored                      refused (400)
XML namespaces         resolved, local names used   not processed (prefixed names)
no Content-Type        sniffed from the first byte  refused (400)
``+json``/``+xml``     accepted                     refused (400)
a charset not UTF-8    refused (400)                ignored
=====================  ===========================  ===============================

Both: NaN/Infinity, leading zeros and plus signs, trailing data, bytes that are not UTF-8, an
empty body and a top-level array, string or number are 400s; a DTD or entity declaration is
refused; processing instructions and comments are ignored; at most ``MAX_BODY`` bytes are read.
Numbers keep their value: integers as ``int`` (any size up to 4,000 digits), others as ``float`` in
style a or ``Decimal`` in style b (and with the ``exact`` freedom); a nonzero number that a double
would turn into 0 or infinity stays a ``Decimal``, so the field's range check refuses it.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any
from xml.parsers import expat

from tests.independent.fail import Crash, Fail

MAX_BODY = 8 * 2**20
MAX_INT_DIGITS = 4000  # below Python's int/str conversion limit
INT64 = 2**63
SHOW_LIMIT = 64


@dataclass(frozen=True)
class Policy:
    depth: int
    json_duplicates: str  # "last" or "refuse"
    bom: str  # "ignore" or "refuse"
    surrogates: str  # "refuse" or "replace"
    big_ids: str  # "refuse" or "unknown"
    attributes: str  # "ignore" or "refuse"
    namespaces: bool
    sniff: bool  # no Content-Type: look at the first byte
    suffixes: bool  # application/*+json, application/*+xml
    charset_strict: bool


POLICY = {"a": Policy(64, "last", "ignore", "refuse", "refuse", "ignore", True, True, True, True),
          "b": Policy(512, "refuse", "refuse", "replace", "unknown", "refuse", False, False, False, False)}


def policy(style: str) -> Policy:
    return POLICY["b" if style == "b" else "a"]


# ----------------------------------------------------------------------- echoed values (texts)

def show(v: Any) -> str:
    """A value as an error text shows it: the same for a JSON value and its XML text (numbers by
    their shortest text, booleans as true/false), quoted, control characters and lone surrogates
    escaped, at most SHOW_LIMIT characters."""
    if isinstance(v, bool):
        t = "true" if v else "false"
    elif v is None or (isinstance(v, str) and v == ""):
        return "an empty value"
    elif isinstance(v, str):
        t = v
    elif isinstance(v, int):
        t = str(v) if abs(v) < 10**SHOW_LIMIT else f"an integer of {len(str(abs(v)))} digits"
    elif isinstance(v, (float, Decimal)):
        t = repr(float(v))
    elif isinstance(v, dict):
        return "an object"
    elif isinstance(v, list):
        return "a list"
    else:
        t = type(v).__name__
    t = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in t[:SHOW_LIMIT])
    return f"'{t}'" + ("..." if len(v if isinstance(v, str) else t) > SHOW_LIMIT else "")


def wrong(echo: bool, field: str, value: Any, want: str) -> Fail:
    """The 400 for a field of the wrong type: ``rel_id must be an integer``, or with ``echo``
    ``rel_id: 'abc' is not an integer``."""
    return Fail(400, f"{field}: {show(value)} is not {want}" if echo else f"{field} must be {want}")


# ---------------------------------------------------------------------------- bytes and media

def read_body(environ: dict[str, Any]) -> bytes:
    """The request's bytes: Content-Length of them (at most MAX_BODY), or a chunked body to its end."""
    length = str(environ.get("CONTENT_LENGTH") or "").strip()
    stream = environ["wsgi.input"]
    if length:
        if not re.fullmatch(r"[0-9]{1,18}", length):
            raise Fail(400, "Content-Length is not a number")
        size = int(length)
        if size > MAX_BODY:
            raise Fail(400, f"the body is larger than {MAX_BODY} bytes")
        return bytes(stream.read(size)) if size else b""
    if environ.get("wsgi.input_terminated"):
        raw = bytes(stream.read(MAX_BODY + 1))
        if len(raw) > MAX_BODY:
            raise Fail(400, f"the body is larger than {MAX_BODY} bytes")
        return raw
    return b""


def media(environ: dict[str, Any], raw: bytes, style: str) -> str:
    """"json" or "xml", from the Content-Type (media types are case-insensitive), or a 400."""
    pol = policy(style)
    header = str(environ.get("CONTENT_TYPE") or "")
    kind, _, params = header.partition(";")
    kind = kind.strip().lower()
    if not kind:
        first = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if pol.sniff and first in (b"{", b"["):
            return "json"
        if pol.sniff and first == b"<":
            return "xml"
        raise Fail(400, "Content-Type is required")
    charset = re.search(r"charset\s*=\s*\"?([^\";\s]*)", params, re.IGNORECASE)
    if pol.charset_strict and charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        raise Fail(400, "only UTF-8 is accepted")
    if kind == "application/json" or (pol.suffixes and kind.startswith("application/") and kind.endswith("+json")):
        return "json"
    if kind in ("application/xml", "text/xml") or (pol.suffixes and kind.startswith("application/") and kind.endswith("+xml")):
        return "xml"
    raise Fail(400, "unsupported Content-Type")


# ----------------------------------------------------------------------------------------- JSON

STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
BRACKETS = re.compile(r"[\[\]{}]")
DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}
SURROGATE = re.compile("[\ud800-\udfff]")


def json_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (strings skipped), without recursion."""
    brackets = BRACKETS.findall(STRING.sub("", text))
    return max(accumulate(map(DELTA.__getitem__, brackets)), default=0)


def _double(text: str) -> Any:
    """A JSON number with a fraction or exponent as a double, unless the double would not be it:
    a nonzero number that underflows to 0 or overflows to infinity stays a Decimal (and a field's
    range check refuses it) rather than becoming 0 or inf silently."""
    f = float(text)
    if math.isinf(f) or (f == 0 and re.search(r"[1-9]", re.split("[eE]", text, maxsplit=1)[0])):
        return Decimal(text)
    return f


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _pairs(duplicates: str) -> Any:
    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if duplicates != "last" and len(out) != len(pairs):
            if duplicates == "crash":  # the deliberate defect duplicate_keys_crash
                raise Crash("a repeated key")
            raise Fail(400, "a key is repeated in an object")
        return out
    return hook


def _strings(value: Any, surrogates: str) -> Any:
    """Lone surrogates in every key and string of ``value`` refused or replaced (iteratively)."""
    def fix(s: str) -> str:
        if not SURROGATE.search(s):
            return s
        if surrogates == "refuse":
            raise Fail(400, "a string holds a lone surrogate (not Unicode text)")
        return SURROGATE.sub("\ufffd", s)

    root = [value]
    todo: list[tuple[Any, Any]] = [(root, 0)]
    while todo:
        holder, key = todo.pop()
        v = holder[key]
        if isinstance(v, str):
            holder[key] = fix(v)
        elif isinstance(v, dict):
            fixed = {fix(k): i for k, i in v.items()}
            holder[key] = fixed
            todo.extend((fixed, k) for k in fixed)
        elif isinstance(v, list):
            todo.extend((v, i) for i in range(len(v)))
    return root[0]


def parse_json(raw: bytes, style: str, exact: bool = False, *, check_depth: bool = True,
               duplicates: str | None = None) -> Any:
    """The JSON text ``raw`` as Python values (any top level; callers check it is an object)."""
    pol = policy(style)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Fail(400, "the body is not UTF-8") from None
    if text.startswith("\ufeff"):
        if pol.bom == "refuse":
            raise Fail(400, "a byte order mark is not accepted")
        text = text[1:]
    if check_depth and json_depth(text) > pol.depth:
        raise Fail(400, f"the body is nested deeper than {pol.depth}")
    try:
        value = json.loads(text, parse_float=Decimal if (exact or style == "b") else _double,
                           parse_constant=_constant, object_pairs_hook=_pairs(duplicates or pol.json_duplicates))
    except ValueError:
        raise Fail(400, "the body is not JSON") from None
    return _strings(value, pol.surrogates)


def request_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Fail(400, "the body must be a JSON object (the request)")
    return value


# ------------------------------------------------------------------------------------------ XML

def _refuse(message: str) -> Any:
    def handler(*_: Any) -> None:
        raise Fail(400, message)
    return handler


def parse_xml(raw: bytes, style: str) -> dict[str, Any]:
    """``<xml>`` and its children as a dict: a leaf is its text (None when empty), an element with
    children a dict (X1, X3). No DTD, no entities (X6); iterative, so any depth is safe."""
    pol = policy(style)
    parser = expat.ParserCreate(namespace_separator=" " if pol.namespaces else None)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[tuple[str, dict[str, Any], list[str]]] = [("", {}, [])]

    def start(name: str, attrs: dict[str, str]) -> None:
        if attrs and pol.attributes == "refuse":
            raise Fail(400, "XML attributes are not accepted")
        if len(stack) > pol.depth:
            raise Fail(400, f"the XML is nested deeper than {pol.depth}")
        if len(stack) == 1 and stack[0][1]:
            raise Fail(400, "more than one root element")
        stack.append((name.rsplit(" ", 1)[-1], {}, []))

    def end(_: str) -> None:
        name, children, texts = stack.pop()
        text = "".join(texts)
        value: Any = children if children else (text if text != "" else None)
        parent = stack[-1][1]
        if name in parent:
            raise Fail(400, f"element <{name[:40]}> is repeated")
        parent[name] = value

    def text(data: str) -> None:
        stack[-1][2].append(data)  # the innermost open element's (the stack changes)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = _refuse("DTDs are not accepted")
    parser.EntityDeclHandler = _refuse("entity declarations are not accepted")
    parser.ExternalEntityRefHandler = _refuse("external entities are not accepted")
    try:
        parser.Parse(raw, True)
    except expat.ExpatError:
        raise Fail(400, "the body is not XML") from None
    doc = stack[0][1]
    if list(doc) != ["xml"]:
        raise Fail(400, "the root element must be <xml>")
    body = doc["xml"]
    if not isinstance(body, dict):
        raise Fail(400, "<xml> holds no fields")
    return _strings(body, pol.surrogates)  # type: ignore[no-any-return]


INTEGER = re.compile(rf"\s*(-?[0-9]{{1,{MAX_INT_DIGITS}}})\s*")


def xml_integer(v: Any) -> Any:
    """An XML text that is an xs:integer (ASCII digits, surrounding space collapsed) as an int."""
    m = INTEGER.fullmatch(v) if isinstance(v, str) else None
    return int(m.group(1)) if m else v


def id_in_range(v: int, style: str) -> bool:
    return policy(style).big_ids == "unknown" or -INT64 <= v < INT64
