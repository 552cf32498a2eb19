"""The write endpoints of the independent implementation, from CONTRACT-relations.md (W, S) alone.

``strengthen``, ``edit``, ``detach`` and ``attach`` (at ``ATTACH_PATH``, not ``relations/attach``:
the contract leaves attach's path unpublished) change one ``Store``, which the reads of
``server.py`` (get_counter, relations/get) read too. ``make_app`` builds a fresh store each call.

Free choices (the contract's "Left free"), per style:

- ``profile_a`` and ``profile_b`` carry their own identifier (``profile_id``, ``email``, ...); a
  ``matching`` or ``resource_id`` inside an object wins over the top-level one, which is the
  default for both. Top-level identifiers are type-checked and otherwise ignored.
- Numbers: style a keeps doubles, style b exact decimals (``Decimal``, JSON floats parsed as such).
- Success ``error_text``: "Successful operation" in style a, ``""`` (the examples') in style b.
- ``detach`` of a link that does not exist: an error (404) in style a, a success in style b.
- A property whose value reaches 0 after ``strengthen``: removed in style a, kept as 0 in style b.
- Empty ``weights``: refused (400) in style a, accepted in style b (the link is still created).
- ``attach`` on a link that exists: refused (409) in style a, acts like ``edit`` in style b.
  ``weights`` is optional on attach (a link without properties).
- ``weights`` on ``detach``: refused (400) in style a, ignored in style b.
- A boolean weight in ``strengthen`` sets the value; a number added to a boolean value is a 400.
- Property names must be XML names (``[A-Za-z_][A-Za-z0-9_.-]*``, not starting with "xml"), at
  most 100 weights, numeric weights finite and at most 1e300 in magnitude (else 400).
- XML requests: nested elements are objects (``<profile_a><profile_id>..</profile_id></profile_a>``,
  ``<weights><Like>2</Like></weights>``); a weight's text is ``true``/``false`` or a number.

A failed write changes nothing (W7): the new link is computed on a copy and stored only when the
whole request succeeded.
"""

from __future__ import annotations

import copy
import json
import math
import re
import threading
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from tests.independent.server import B_PEOPLE, LINKS, MODES, PEOPLE, REL_ID, Fail, _is_int, _matches

ATTACH_PATH = "/api/v1.1/relations/bind"
WRITE_PATHS = {"/api/v1.1/relations/strengthen": "strengthen", "/api/v1.1/relations/edit": "edit",
               "/api/v1.1/relations/detach": "detach", ATTACH_PATH: "attach"}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}")
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
LIMIT = 1e300
IDENTIFIERS = ("email", "phone", "profile_id", "field_name")


class Store:
    """The links of every relation: rel_id -> A profile id -> B profile id -> {property: value}."""

    def __init__(self, style: str = "a") -> None:
        self.style = style
        self.lock = threading.Lock()
        self.links: dict[int, dict[str, dict[str, dict[str, Any]]]] = {
            REL_ID: {a: {b: {k: self.number(v) for k, v in props.items()} for b, props in pairs}
                     for a, pairs in LINKS.items()}}
        self.initial = copy.deepcopy(self.links)  # what a stale cache would keep showing

    def number(self, v: Any) -> Any:
        if self.style == "b" and not isinstance(v, bool) and isinstance(v, (int, float)):
            return Decimal(str(v))
        return v

    def pairs(self, a_id: str, rel_id: int = REL_ID, initial: bool = False) -> list[tuple[str, dict[str, Any]]]:
        """The links of one A profile as (B profile id, properties), in insertion order."""
        with self.lock:
            source = self.initial if initial else self.links
            return [(b, dict(props)) for b, props in source.get(rel_id, {}).get(a_id, {}).items()]


# ----------------------------------------------------------------------------- request parsing

def _xml_value(el: Any, depth: int) -> Any:
    if depth > 20:
        raise Fail(400, "XML nested too deeply")
    children = list(el)
    if not children:
        text = (el.text or "").strip()
        return text or None
    out: dict[str, Any] = {}
    for child in children:
        if child.tag in out:
            raise Fail(400, f"element <{child.tag}> is repeated")
        out[child.tag] = _xml_value(child, depth + 1)
    return out


def _typed(key: str, v: Any) -> Any:
    """XML texts to the types the contract gives the fields (numbers for ids, weights below)."""
    if isinstance(v, str) and key in ("rel_id", "resource_id") and re.fullmatch(r"-?\d{1,18}", v):
        return int(v)
    if isinstance(v, str) and key == "field_value" and re.fullmatch(r"\d{1,18}", v):
        return int(v)
    return v


def parse_xml(raw: bytes) -> dict[str, Any]:
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise Fail(400, "DTDs are not accepted")
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        raise Fail(400, "bad XML") from None
    if root.tag != "xml":
        raise Fail(400, "root must be <xml>")
    body = _xml_value(root, 0)
    if not isinstance(body, dict):
        raise Fail(400, "empty request")
    out = {k: _typed(k, v) for k, v in body.items()}
    for obj in ("profile_a", "profile_b", "weights"):
        if obj in out and out[obj] is None:
            out[obj] = {}  # X2: an empty object is an empty element
    for side in ("profile_a", "profile_b"):
        if isinstance(out.get(side), dict):
            out[side] = {k: _typed(k, v) for k, v in out[side].items()}
    if isinstance(out.get("weights"), dict):
        out["weights"] = {k: _xml_weight(v) for k, v in out["weights"].items()}
    return out


def _xml_weight(text: Any) -> Any:
    if text == "true":
        return True
    if text == "false":
        return False
    if isinstance(text, str) and NUMBER.fullmatch(text) and len(text) <= 400:
        if re.fullmatch(r"[-+]?\d+", text):
            return int(text)
        return Decimal(text)  # turned into the style's number type by _weight
    raise Fail(400, "a weight must be a number or a boolean")


def parse_json(raw: bytes, style: str) -> dict[str, Any]:
    try:
        body = json.loads(raw.decode("utf-8"), parse_float=Decimal if style == "b" else float)
    except (ValueError, RecursionError):
        raise Fail(400, "bad JSON") from None
    if not isinstance(body, dict):
        raise Fail(400, "body must be an object")
    return body


# -------------------------------------------------------------------------------- validation

def _check_identifiers(f: dict[str, Any], where: str) -> None:
    for name in IDENTIFIERS:
        if name in f and not isinstance(f[name], str):
            raise Fail(400, f"{where}{name} must be a string")
    if "resource_id" in f and not _is_int(f["resource_id"]):
        raise Fail(400, f"{where}resource_id must be an integer")
    if "field_value" in f and not (_is_int(f["field_value"]) or isinstance(f["field_value"], str)):
        raise Fail(400, f"{where}field_value must be an integer or a string")
    if "matching" in f and (not isinstance(f["matching"], str) or f["matching"] not in MODES):
        raise Fail(400, f"{where}matching is not one of {sorted(MODES)}")


def _profile_request(body: dict[str, Any], side: str) -> tuple[dict[str, Any], str]:
    if body.get(side) is None:
        raise Fail(400, f"{side} is required")
    obj = body[side]
    if not isinstance(obj, dict):
        raise Fail(400, f"{side} must be an object")
    f = dict(obj)
    for inherited in ("matching", "resource_id"):
        if inherited not in f and inherited in body:
            f[inherited] = body[inherited]
    _check_identifiers(f, f"{side}.")
    mode = f.get("matching", "email" if "email" in f else "profile_id")
    for need in MODES[mode]:
        if f.get(need) in (None, ""):
            raise Fail(400, f"{side}.{need} is required")
    return f, mode


def _weight(v: Any, style: str) -> Any:
    if isinstance(v, bool):
        return v
    if not isinstance(v, (int, float, Decimal)):
        raise Fail(400, "a weight must be a number or a boolean")
    try:
        magnitude: Any = abs(v)
        if not (magnitude <= LIMIT):  # also NaN
            raise Fail(400, "a weight must be finite and at most 1e300 in magnitude")
    except InvalidOperation:
        raise Fail(400, "a weight must be a number") from None
    if style == "b":
        return v if isinstance(v, Decimal) else Decimal(str(v))
    return float(v)


def _name(n: str) -> str:
    if not NAME.fullmatch(n) or n.lower().startswith("xml"):
        raise Fail(400, f"property name {n[:40]!r} is not allowed (an XML name is required)")
    return n


def _weights(body: dict[str, Any], op: str, style: str, convert: bool = True) -> dict[str, Any]:
    if "weights" not in body or body["weights"] is None:
        if op == "attach":
            return {}
        raise Fail(400, "weights is required")
    w = body["weights"]
    if not isinstance(w, dict):
        raise Fail(400, "weights must be an object")
    if not w and style != "b":
        raise Fail(400, "weights must not be empty")
    if len(w) > 100:
        raise Fail(400, "at most 100 weights")
    return {_name(k): (_weight(v, style) if convert else v) for k, v in w.items()}


# ---------------------------------------------------------------------------------- applying

def _add(old: Any, w: Any, style: str) -> Any:
    if isinstance(old, bool):
        raise Fail(400, "cannot add a number to a boolean property")
    if style == "b":
        with localcontext() as ctx:
            ctx.prec = 60
            new = Decimal(old) + w
    else:
        new = float(old) + w
    if not (abs(new) <= LIMIT):
        raise Fail(400, "the value would leave the range of numbers")
    return new


def _apply(link: dict[str, Any], weights: dict[str, Any], op: str, style: str, broken: str) -> None:
    """Change ``link`` in place (on a copy, except under the half-applied defect)."""
    for name, raw in weights.items():
        w = _weight(raw, style)  # a no-op conversion unless the weights arrived unchecked
        if op in ("edit", "attach"):
            if broken == "edit_adds" and op == "edit" and name in link and not isinstance(w, bool):
                w = _add(link[name], w, style)
            link[name] = w
        elif isinstance(w, bool) or broken == "strengthen_replaces":
            link[name] = w
        else:
            new = _add(link.get(name, 0), w, style)
            if new == 0 and style != "b":
                link.pop(name, None)  # a value that reaches 0 leaves the listing
            else:
                link[name] = new


def handle(op: str, body: dict[str, Any], store: Store, broken: str) -> dict[str, Any]:
    """One write request (token already checked): the answer's fields, or Fail."""
    style = store.style
    if not _is_int(body.get("rel_id")):
        raise Fail(400, "rel_id must be an integer")
    _check_identifiers(body, "")
    a_fields, a_mode = _profile_request(body, "profile_a")
    b_fields, b_mode = _profile_request(body, "profile_b")
    half = broken == "half_applied_write"
    weights: dict[str, Any] = {}
    if op == "detach":
        if "weights" in body and style != "b":
            raise Fail(400, "detach takes no weights")
    else:
        weights = _weights(body, op, style, convert=not half)
    rel_id = body["rel_id"]
    stored_rel = REL_ID if broken == "unknown_rel_id_accepted" else rel_id
    if stored_rel != REL_ID:
        raise Fail(422, "no such relation")
    a = next((p for p in PEOPLE if _matches(p, a_fields, a_mode)), None)
    if a is None:
        raise Fail(404, "profile_a not found")
    b = next((p for p in B_PEOPLE if _matches(p, b_fields, b_mode)), None)
    if b is None and not (broken == "unknown_profile_b_accepted" and b_fields.get("profile_id")):
        raise Fail(404, "profile_b not found")
    b_id = b["id"] if b is not None else str(b_fields["profile_id"])
    with store.lock:
        by_a = store.links.setdefault(stored_rel, {}).setdefault(a["id"], {})
        if op == "detach":
            if b_id not in by_a and style != "b":
                raise Fail(404, "no link between these profiles")
            if broken != "detach_noop":
                by_a.pop(b_id, None)
        elif op == "attach" and b_id in by_a and style != "b":
            raise Fail(409, "the link exists (use edit)")
        elif half:
            _apply(by_a.setdefault(b_id, {}), weights, op, style, broken)
        else:
            link = dict(by_a.get(b_id, {}))
            _apply(link, {} if broken == "attach_without_weights" and op == "attach" else weights, op, style, broken)
            by_a[b_id] = link
        if not by_a:
            store.links[stored_rel].pop(a["id"], None)
    out: dict[str, Any] = {"error": 0, "error_text": "" if style == "b" else "Successful operation",
                           "profile_a": a["id"], "profile_b": b_id,
                           "relation_id": rel_id + 1 if broken == "relation_id_wrong" else rel_id}
    if broken == "write_answer_missing_profile_b":
        del out["profile_b"]
    return out


def plain(v: Any) -> Any:
    """Decimals as JSON/XML numbers: integral ones as integers, others as their shortest double."""
    if isinstance(v, dict):
        return {k: plain(i) for k, i in v.items()}
    if isinstance(v, list):
        return [plain(i) for i in v]
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() and abs(v) < 2**63 else float(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v
