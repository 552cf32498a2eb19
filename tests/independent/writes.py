"""The write endpoints of the independent implementation, from CONTRACT-relations.md (W, S) alone.

``strengthen``, ``edit``, ``detach`` and ``attach`` (at ``ATTACH_PATH``, not ``relations/attach``:
the contract leaves attach's path unpublished) change one ``Store``, which the reads of
``server.py`` (get_counter, relations/get) read too. ``make_app`` builds a fresh store each call.

Free choices (the contract's "Left free"), per style:

- ``profile_a`` and ``profile_b`` carry their own identifier (``profile_id``, ``email``, ...); a
  ``matching`` or ``resource_id`` inside an object wins over the top-level one, which is the
  default for both. Top-level identifiers are type-checked and otherwise ignored.
- Numbers: integers stay integers of any size (exact) in both styles; other numbers are doubles in
  style a and exact decimals in style b (``Decimal``, JSON parsed as such), and exact decimals in
  every style with the ``exact`` freedom. Booleans stay booleans.
- Success ``error_text``: "Successful operation" in style a, ``""`` (the examples') in style b.
- ``detach`` of a link that does not exist: an error (404) in style a, a success in style b.
- A property whose value reaches 0 after ``strengthen``: removed in style a, kept as 0 in style b.
- Empty ``weights``: refused (400) in style a, accepted in style b (the link is still created).
- ``attach`` on a link that exists: refused (409) in style a, acts like ``edit`` in style b.
  ``weights`` is optional on attach (a link without properties).
- ``weights`` on ``detach``: refused (400) in style a, ignored in style b.
- A boolean weight in ``strengthen`` sets the value; a number added to a boolean value is a 400.
- Property names must be XML names (``[A-Za-z_][A-Za-z0-9_.-]*``, not starting with "xml"), at
  most 100 weights; a numeric weight is finite, 0 or between 1e-300 and 1e300 in magnitude, with at
  most 400 significant digits (else 400).
- XML requests: nested elements are objects (``<profile_a><profile_id>..</profile_id></profile_a>``,
  ``<weights><Like>2</Like></weights>``); a weight's text is ``true``/``false`` or a number.

A write is atomic: the whole request (ids, profiles, every weight) is checked first, then the new
link is computed on a copy under the store's lock and stored only when that succeeded, so a failed
write changes nothing (W7) and concurrent writes are serialised (every strengthen counts).
"""

from __future__ import annotations

import copy
import math
import re
import threading
import time
from decimal import Decimal, InvalidOperation, localcontext
from typing import Any

from tests.independent import body
from tests.independent.server import B_PEOPLE, CANCELLING, LINKS, MODES, PEOPLE, REL_ID, Ctx, Fail, check_id, check_identifiers, find

ATTACH_PATH = "/api/v1.1/relations/bind"
WRITE_PATHS = {"/api/v1.1/relations/strengthen": "strengthen", "/api/v1.1/relations/edit": "edit",
               "/api/v1.1/relations/detach": "detach", ATTACH_PATH: "attach"}
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,127}")
NUMBER = re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
LIMIT, TINY, DIGITS = Decimal("1e300"), Decimal("1e-300"), 400


class Store:
    """The links of every relation: rel_id -> A profile id -> B profile id -> {property: value}."""

    def __init__(self, style: str = "a", exact: bool = False, cancelling: bool = False) -> None:
        self.style = style
        self.exact = exact or style == "b"  # numbers kept as exact decimals
        self.lock = threading.Lock()
        self.links: dict[int, dict[str, dict[str, dict[str, Any]]]] = {
            REL_ID: {a: {b: {k: self.number(v) for k, v in props.items()} for b, props in pairs}
                     for a, pairs in LINKS.items()}}
        if cancelling:
            for b, v in CANCELLING.items():
                self.links[REL_ID][PEOPLE[0]["id"]][b]["Score"] = self.number(v)
        self.initial = copy.deepcopy(self.links)  # what a stale cache would keep showing

    def number(self, v: Any) -> Any:
        if self.exact and isinstance(v, float):
            return Decimal(repr(v))
        return v

    def pairs(self, a_id: str, rel_id: int = REL_ID, initial: bool = False) -> list[tuple[str, dict[str, Any]]]:
        """The links of one A profile as (B profile id, properties), in insertion order."""
        with self.lock:
            source = self.initial if initial else self.links
            return [(b, dict(props)) for b, props in source.get(rel_id, {}).get(a_id, {}).items()]


# ------------------------------------------------------------------------------ XML requests

def typed_xml(out: dict[str, Any]) -> dict[str, Any]:
    """XML texts of a write to the types the contract gives the fields (``server.parse_request``
    has typed the top-level ids)."""
    for obj in ("profile_a", "profile_b", "weights"):
        if obj in out and out[obj] is None:
            out[obj] = {}  # X2: an empty object is an empty element
    for side in ("profile_a", "profile_b"):
        if isinstance(out.get(side), dict):
            out[side] = {k: body.xml_integer(v) if k == "resource_id" else v for k, v in out[side].items()}
    if isinstance(out.get("weights"), dict):
        out["weights"] = {k: _xml_weight(v) for k, v in out["weights"].items()}
    return out


def _xml_weight(text: Any) -> Any:
    if text == "true":
        return True
    if text == "false":
        return False
    if isinstance(text, str) and len(text) <= 1000 and NUMBER.fullmatch(text.strip()):
        t = text.strip()
        return int(t) if re.fullmatch(r"[-+]?[0-9]{1,1000}", t) else Decimal(t)  # typed by _weight
    if isinstance(text, dict):
        raise Fail(400, "a weight must be a number or a boolean, not an object")
    raise Fail(400, "a weight must be a number or a boolean")


# -------------------------------------------------------------------------------- validation

def _profile_request(fields: dict[str, Any], side: str, ctx: Ctx) -> tuple[dict[str, Any], str]:
    if fields.get(side) is None:
        raise Fail(400, f"{side} is required")
    obj = fields[side]
    if not isinstance(obj, dict):
        raise body.wrong(ctx.free.echo, side, obj, "an object")
    f = dict(obj)
    for inherited in ("matching", "resource_id"):
        if inherited not in f and inherited in fields:
            f[inherited] = fields[inherited]
    check_identifiers(f, ctx, f"{side}.")
    if "matching" in f and (not isinstance(f["matching"], str) or f["matching"] not in MODES):
        raise Fail(400, f"{side}.matching is not one of {sorted(MODES)}")
    mode = f.get("matching", "email" if "email" in f else "profile_id")
    for need in MODES[mode]:
        if f.get(need) in (None, ""):
            raise Fail(400, f"{side}.{need} is required")
    return f, mode


def _weight(v: Any, ctx: Ctx, name: str = "weight") -> Any:
    """A weight as stored: a boolean, an int, or a double (style a) / Decimal (style b, exact)."""
    if isinstance(v, bool):
        return int(v) if ctx.broken == "bool_as_number" else v
    if not isinstance(v, (int, float, Decimal)):
        raise body.wrong(ctx.free.echo, f"weights.{name}", v, "a number or a boolean")
    try:
        magnitude: Any = abs(v)
        if not (magnitude <= LIMIT) or (magnitude and magnitude < TINY):  # also NaN
            raise Fail(400, f"weights.{name} must be 0 or between 1e-300 and 1e300 in magnitude")
    except InvalidOperation:
        raise Fail(400, f"weights.{name} must be a number") from None
    if isinstance(v, Decimal) and len(v.as_tuple().digits) > DIGITS:
        raise Fail(400, f"weights.{name} has more than {DIGITS} significant digits")
    if ctx.broken == "big_int_as_double" and isinstance(v, int):
        v = float(v)
    if ctx.style == "b" or ctx.free.exact:
        return Decimal(repr(v)) if isinstance(v, float) else v
    return float(v) if isinstance(v, Decimal) else v


def _name(n: str) -> str:
    if not NAME.fullmatch(n) or n.lower().startswith("xml"):
        raise Fail(400, f"property name {n[:40]!r} is not allowed (an XML name is required)")
    return n


def _weights(fields: dict[str, Any], op: str, ctx: Ctx, convert: bool = True) -> dict[str, Any]:
    if "weights" not in fields or fields["weights"] is None:
        if op == "attach":
            return {}
        raise Fail(400, "weights is required")
    w = fields["weights"]
    if not isinstance(w, dict):
        raise body.wrong(ctx.free.echo, "weights", w, "an object")
    if not w and ctx.style != "b":
        raise Fail(400, "weights must not be empty")
    if len(w) > 100:
        raise Fail(400, "at most 100 weights")
    return {_name(k): (_weight(v, ctx, k) if convert else v) for k, v in w.items()}


# ---------------------------------------------------------------------------------- applying

def _add(old: Any, w: Any, ctx: Ctx) -> Any:
    if isinstance(old, bool):
        raise Fail(400, "cannot add a number to a boolean property")
    if isinstance(old, int) and isinstance(w, int):
        new: Any = old + w  # exact in every style
    elif isinstance(old, Decimal) or isinstance(w, Decimal):
        with localcontext() as c:
            c.prec = 2000  # exact for any sum of weights within the limits
            new = Decimal(old) + Decimal(w)
    else:
        new = float(old) + float(w)
    if not (abs(new) <= LIMIT):
        raise Fail(400, "the value would leave the range of numbers")
    return new


def _apply(link: dict[str, Any], weights: dict[str, Any], op: str, ctx: Ctx) -> None:
    """Change ``link`` in place (on a copy, except under the defects that apply as they go)."""
    for name, raw in weights.items():
        w = _weight(raw, ctx, name)  # a no-op conversion unless the weights arrived unchecked
        if op in ("edit", "attach"):
            if ctx.broken == "edit_adds" and op == "edit" and name in link and not isinstance(w, bool):
                w = _add(link[name], w, ctx)
            link[name] = w
        elif isinstance(w, bool) or ctx.broken == "strengthen_replaces":
            link[name] = w
        else:
            new = _add(link.get(name, 0), w, ctx)
            if new == 0 and ctx.style != "b":
                link.pop(name, None)  # a value that reaches 0 leaves the listing
            else:
                link[name] = new


def handle(op: str, fields: dict[str, Any], store: Store, ctx: Ctx) -> dict[str, Any]:
    """One write request (token already checked): the answer's fields, or Fail."""
    style, broken = ctx.style, ctx.broken
    if "rel_id" not in fields:
        raise Fail(400, "rel_id must be an integer")
    check_id(fields, "rel_id", ctx)
    check_identifiers(fields, ctx)
    a_fields, a_mode = _profile_request(fields, "profile_a", ctx)
    b_fields, b_mode = _profile_request(fields, "profile_b", ctx)
    as_it_goes = broken in ("half_applied_write", "refusal_after_apply")
    weights: dict[str, Any] = {}
    if op == "detach":
        if "weights" in fields and style != "b":
            raise Fail(400, "detach takes no weights")
    else:
        weights = _weights(fields, op, ctx, convert=not as_it_goes)
    rel_id = fields["rel_id"]
    stored_rel = REL_ID if broken == "unknown_rel_id_accepted" else rel_id
    if stored_rel != REL_ID:
        raise Fail(422, "no such relation" + (f": rel_id {body.show(rel_id)}" if ctx.free.echo else ""))
    a = find(PEOPLE, a_fields, a_mode, ctx, "profile_a")
    try:
        b_id = find(B_PEOPLE, b_fields, b_mode, ctx, "profile_b")["id"]
        missing: Fail | None = None
    except Fail as exc:
        if not ((broken == "unknown_profile_b_accepted" or (broken == "refusal_after_apply" and op != "detach"))
                and isinstance(b_fields.get("profile_id"), str)):
            raise
        b_id, missing = b_fields["profile_id"], exc if broken == "refusal_after_apply" else None
    if broken == "lost_updates" and op == "strengthen":  # read, think, write back: no lock
        with store.lock:
            link = dict(store.links.setdefault(REL_ID, {}).get(a["id"], {}).get(b_id, {}))
        time.sleep(0.05)
        _apply(link, weights, op, ctx)
        store.links[REL_ID].setdefault(a["id"], {})[b_id] = link
        return _answer(a["id"], b_id, rel_id, ctx)
    with store.lock:
        by_a = store.links.setdefault(stored_rel, {}).setdefault(a["id"], {})
        if op == "detach":
            if b_id not in by_a and style != "b":
                raise Fail(404, "no link between these profiles")
            if broken != "detach_noop":
                by_a.pop(b_id, None)
        elif op == "attach" and b_id in by_a and style != "b":
            raise Fail(409, "the link exists (use edit)")
        elif as_it_goes:
            _apply(by_a.setdefault(b_id, {}), weights, op, ctx)
            if missing is not None:
                raise missing  # profile_b looked up after the weights were applied
        else:
            link = dict(by_a.get(b_id, {}))
            _apply(link, {} if broken == "attach_without_weights" and op == "attach" else weights, op, ctx)
            by_a[b_id] = link
        if not by_a:
            store.links[stored_rel].pop(a["id"], None)
    return _answer(a["id"], b_id, rel_id, ctx)


def _answer(a_id: str, b_id: str, rel_id: int, ctx: Ctx) -> dict[str, Any]:
    out: dict[str, Any] = {"error": 0, "error_text": "" if ctx.style == "b" else "Successful operation",
                           "profile_a": a_id, "profile_b": b_id,
                           "relation_id": rel_id + 1 if ctx.broken == "relation_id_wrong" else rel_id}
    if ctx.broken == "write_answer_missing_profile_b":
        del out["profile_b"]
    return out


def plain(v: Any, exact: bool = False) -> Any:
    """Decimals as JSON/XML numbers: integral ones as integers (all their digits), others as their
    shortest double, or (``exact``) as themselves, written exactly by ``render``."""
    if isinstance(v, dict):
        return {k: plain(i, exact) for k, i in v.items()}
    if isinstance(v, list):
        return [plain(i, exact) for i in v]
    if isinstance(v, Decimal):
        if v == v.to_integral_value():
            return int(v)
        return v if exact else float(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v
