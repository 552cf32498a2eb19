"""The write endpoints of the reference: relations/strengthen, edit, detach and attach (W1-W8).

``app.process`` parses, authorises and runs the fault hooks exactly as for the reads, then hands a
write here. A write is validated whole (schema, relation, both profiles, the operation's own rules)
before anything changes, under the store's lock, so a refused write changes nothing (W7).

A fault acts through ``Fault.on_write(app, inc, write, stage)``, called twice under that lock:
``"resolve"`` before the relation and profiles are looked up (it may change what is looked up) and
``"apply"`` after every check passed, just before the change (it may change the operation, its
weights, or the store itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from xml.etree.ElementTree import Element

from ... import endpoints
from ...contract import schemas
from ...contract.xsd import Field
from ...reference import lookup
from ...reference.faults import Fault
from ...reference.incoming import App, Incoming, Reject, endpoint_name, xml_root
from ...reference.render import Style
from ...reference.store import Store, Write
from ...wire import xmlcodec

# The reference serves every write at its natural path (attach too: its target file names it so),
# whatever path a run's target file gave attach (endpoints.use_paths).
PATHS = tuple(endpoints.BASE + name for name in endpoints.WRITES)
NESTED = ("profile_a", "profile_b", "weights")  # the request fields that are objects
LIMIT = 2**53  # larger weights are refused (400): every integer up to it is exact as a double


def is_write(path: str) -> bool:
    return path.rstrip("/") in PATHS


# --- XML requests: profile_a, profile_b and weights are objects, one level of child elements ---

def _children(el: Element) -> list[Element]:
    kids = [k for k in el if isinstance(k.tag, str)]
    names = [k.tag for k in kids]
    if any(len(k) for k in kids) or len(set(names)) != len(names):
        raise Reject(400, f"Incorrect request: <{el.tag}> must hold single text elements")
    if kids and (el.text or "").strip():
        raise Reject(400, f"Incorrect request: <{el.tag}> mixes text and elements")
    return kids


def xml_fields(raw: bytes) -> dict[str, Any]:
    """The fields of an XML write request, typed: flat fields by the request XSD (as the reads),
    the profile objects' fields likewise, each weight as an integer, a float or true/false."""
    root = xml_root(raw)
    kids = [k for k in root if isinstance(k.tag, str)]
    names = [k.tag for k in kids]
    if len(set(names)) != len(names):
        raise Reject(400, "Incorrect request: each field must be a single element")
    flat, nested = Element("xml"), {}
    for kid in kids:
        if kid.tag in NESTED:
            nested[kid.tag] = kid
        elif len(kid):
            raise Reject(400, "Incorrect request: each field must be a single text element")
        else:
            flat.append(kid)
    fields = xmlcodec.decode_request(flat)
    weight = Field("weight", "number_or_boolean")
    for name, el in nested.items():
        inner = _children(el)
        if not inner and (el.text or "").strip():
            fields[name] = el.text  # text where an object belongs: the schema refuses it (400)
        elif name == "weights":
            fields[name] = {k.tag: xmlcodec.scalar(k.text if (k.text or "").strip() else None, weight) for k in inner}
        else:
            obj = Element("xml")
            obj.extend(inner)
            fields[name] = xmlcodec.decode_request(obj)  # typed as the matching block's fields
    return fields


# --- finding the relation and the two profiles ------------------------------------------------

def _with_mode(obj: Mapping[str, Any], matching: str | None) -> dict[str, Any]:
    return {**obj, "matching": matching} if matching else dict(obj)


def find_b(obj: Mapping[str, Any], matching: str | None, known: frozenset[str]) -> str:
    """A B profile exists only as an id (Database B holds no emails or phones in this data)."""
    req = _with_mode(obj, matching)
    if lookup.effective_mode(req) == "profile_id" and req.get("profile_id") in known:
        return str(req["profile_id"])
    raise lookup.NotFound("Profile B not found")


def _element_name(name: str) -> bool:
    """Whether ``name`` can be an XML element name (X5: properties are element names under <props>)."""
    try:  # parsed defensively: a name could smuggle in a DTD ("!DOCTYPE ...><a")
        return xmlcodec.parse(f"<{name}/>".encode()).tag == name
    except xmlcodec.XMLDecodeError:
        return False


def _in_range(value: float | int | Decimal) -> bool:
    """Finite and at most 2**53 in size, compared exactly (2**53 + 1 is out)."""
    x = Decimal(repr(value)) if isinstance(value, float) else value
    return (not isinstance(x, Decimal) or x.is_finite()) and abs(Decimal(x)) <= LIMIT


def _weights_ok(w: Write, style: Style) -> None:
    for name, value in w.weights.items():
        if not _element_name(name):  # refusing it is free; accepting it would break every XML read
            raise Reject(400, f"Incorrect request: weight name {name[:40]!r} is not an XML element name")
        if w.kind == "strengthen" and isinstance(value, bool):
            raise Reject(400, f"Incorrect request: strengthen adds numbers; weight {name!r} is a boolean")
        if not isinstance(value, bool) and not _in_range(value):
            raise Reject(400, f"Incorrect request: weight {name!r} is out of range")
    if not w.weights and w.kind != "detach" and style.empty_weights == "refuse":
        raise Reject(400, "Incorrect request: weights is empty")


def _refusals(w: Write, style: Style) -> None:
    """The operation's own rules, after the lookups: the last checks before anything changes."""
    if w.kind != "detach":
        _weights_ok(w, style)
    if w.kind == "detach" and w.current is None and style.detach_missing == "error":
        raise lookup.NotFound("Relation between the profiles not found")
    if w.kind == "attach" and w.current is not None and style.attach_existing == "error":
        raise Reject(400, "Incorrect request: the relation exists (edit changes it)")


def _apply(store: Store, w: Write, style: Style) -> None:
    key = (w.rel_id, w.a_id, w.b_id)
    if w.kind == "detach":
        store.remove(*key)
    elif w.kind == "strengthen":
        numbers = {k: v for k, v in w.weights.items() if not isinstance(v, bool)}
        store.strengthen(*key, numbers, start=w.start, drop_zeros=style.strengthen_zeros == "drop")
    else:  # edit, and attach (creating the link, or on an existing link acting like edit)
        store.edit(*key, w.weights)


def execute(app: App, inc: Incoming, kind: str, fields: Mapping[str, Any], fault: Fault) -> dict[str, Any]:
    """Carry out a validated write; the success envelope (W1), or NotFound/Reject with nothing changed."""
    w = Write(kind, fields["rel_id"], dict(fields["profile_a"]), dict(fields["profile_b"]),
              dict(fields.get("weights") or {}), fields.get("matching"))
    with app.store.lock:
        fault.on_write(app, inc, w, "resolve")
        relation = lookup.find_relation(w.rel_id)
        w.a_id = lookup.find_profile(_with_mode(w.profile_a, w.matching)).profile_id
        w.b_id = find_b(w.profile_b, w.matching, w.known_b)
        w.rel_id = relation.rel_id
        link = app.store.get(w.rel_id, w.a_id, w.b_id)
        w.current = dict(link.values) if link else None
        _refusals(w, app.style)
        fault.on_write(app, inc, w, "apply")
        if not w.skip:
            _apply(app.store, w, app.style)
    return {"error": 0, "error_text": app.style.write_error_text, "profile_a": w.a_id, "profile_b": w.b_id,
            "relation_id": fields["rel_id"]}


def answer(app: App, inc: Incoming, fault: Fault) -> dict[str, Any]:
    """A parsed, authorised write request: validate it (R4), then carry it out (R5 if nothing is found)."""
    for v in schemas.violations("write-request", inc.fields, "R4"):
        raise Reject(400, f"Incorrect request: {v.path} {v.message}"[:300])
    kind = endpoint_name(inc.path)
    if kind != "detach" and "weights" not in inc.fields:
        raise Reject(400, "Incorrect request: weights is required")
    return execute(app, inc, kind, inc.fields, fault)
