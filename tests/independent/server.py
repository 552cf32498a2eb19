"""An independent implementation of the get_counter contract, written from CONTRACT.md alone.

It shares no code with the reference endpoint and makes other free choices: hand-written
validation, ``format`` in the query wins over the body, 401 for a bad token, HTTP 400 for 400s but
200 for other errors (allowed under "any"), sorted JSON keys with indentation and ``20.0`` for
numbers, XML with a declaration, alphabetical elements and absent nulls, ties in ``top`` ordered
by profile id descending, and an undocumented ``generated_at`` that changes on every answer.
``broken`` names one deliberate defect, to show the suite notices an independent implementation's
mistakes too.

``style="b"`` makes the other free choices where it can: compact JSON in insertion order with raw
UTF-8, ``top: []`` rather than null, numbers as they are stored, ``data: null`` on errors plus an
undocumented constant field, pretty-printed XML in natural order with empty-element nulls and
CDATA texts, ``application/json;charset=utf-8`` without a space, and mirrored HTTP statuses
(``error_http_status = "mirror"`` in its target file).

The writes (strengthen, edit, detach, attach) live in ``writes.py`` with their own free choices;
every ``make_app`` builds a fresh store of links that both reads show. relations/get is served
only with ``make_app(..., relations_get=True)``. ``READ_DEFECTS`` and ``WRITE_DEFECTS`` name the
deliberate defects and the clause each breaks; ``TARGET_WRITES`` and ``TARGET_B_WRITES`` add the
``[writes]`` and ``[endpoints]`` tables a run with writes needs.
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

import xxhash

TOKEN = "independent-token"
MODES = {"email": ("email",), "email_profile": ("email",), "phone": ("phone",), "profile_id": ("profile_id",),
         "custom": ("field_name", "field_value")}
PEOPLE: list[dict[str, Any]] = [
    {"id": "aaaaaaaaaaaaaaaaaaaaaa01", "email": "ann@shop.test", "phone": "+15550000001", "CARD": 77,
     "subs": [(5, "ann@shop.test", "+15550000001"), (6, "ann.news@shop.test", None)]},
    {"id": "aaaaaaaaaaaaaaaaaaaaaa02", "email": "bob@shop.test", "phone": None, "CARD": "B-2", "subs": []},
    # The profile the writes may change ([writes] profile_a); not one of the [data] profiles.
    {"id": "aaaaaaaaaaaaaaaaaaaaaa03", "email": "cat@shop.test", "phone": None, "CARD": "C-3", "subs": []},
]
B_PEOPLE: list[dict[str, Any]] = [  # Database B: 06 and 07 exist without any link
    {"id": f"bbbbbbbbbbbbbbbbbbbbbb0{i}", "email": f"b{i}@club.test", "phone": None, "CARD": None, "subs": []}
    for i in range(1, 8)
]
REL_ID = 9
LINKS: dict[str, list[tuple[str, dict[str, Any]]]] = {  # rel 9: A -> [(B, {property: value})], every store's seed
    "aaaaaaaaaaaaaaaaaaaaaa01": [("bbbbbbbbbbbbbbbbbbbbbb01", {"Gift": 10, "Visits": 1}),
                                 ("bbbbbbbbbbbbbbbbbbbbbb02", {"Gift": 10, "Visits": 2.5}),
                                 ("bbbbbbbbbbbbbbbbbbbbbb03", {"Gift": 4, "Fan": True})],
    "aaaaaaaaaaaaaaaaaaaaaa03": [("bbbbbbbbbbbbbbbbbbbbbb04", {"Gift": 3, "Visits": 1.5}),
                                 ("bbbbbbbbbbbbbbbbbbbbbb05", {"Gift": 7, "Rank": 2})],
}
KINDS = {"Gift": "top", "Visits": "sum", "Fan": "none", "Rank": "top"}  # other names written: "sum"

# Deliberate defects (make_app's ``broken``) and the clause each breaks.
READ_DEFECTS = {"top_unsorted": "D6", "xxh_of_email": "D2", "any_token": "R3", "matching_crash": "R4"}
WRITE_DEFECTS = {
    "write_answer_missing_profile_b": "W1",  # the write answer has no profile_b
    "relation_id_wrong": "W2",  # relation_id is rel_id + 1
    "edit_adds": "W3",  # edit adds to a numeric value instead of replacing it
    "strengthen_replaces": "W4",  # strengthen replaces the value instead of adding to it
    "detach_noop": "W5",  # detach answers success and removes nothing
    "attach_without_weights": "W6",  # attach creates the link without its weights
    "half_applied_write": "W7",  # weights applied one by one: a bad weight leaves the earlier ones
    "counter_stale_after_write": "S1",  # get_counter keeps showing the links as they were at start
    "unknown_profile_b_accepted": "S2",  # an unknown profile_b id gets a link instead of an error
    "unknown_rel_id_accepted": "S2",  # a write to an unknown rel_id lands in relation 9
}

TARGET = """[target]
base_url = "{base_url}"
token_env = "INDEPENDENT_TOKEN"
api_version = "v74"
error_http_status = "any"

[data]
rel_id = 9
unknown_rel_id = 12345
unknown_resource_id = 99

[[data.profiles]]
profile_id = "aaaaaaaaaaaaaaaaaaaaaa01"
email = "ann@shop.test"
phone = "+15550000001"
resource_id = 5
field_name = "CARD"
field_value = 77
subscription_email = "ann.news@shop.test"

[[data.profiles]]
profile_id = "aaaaaaaaaaaaaaaaaaaaaa02"
email = "bob@shop.test"
field_name = "CARD"
field_value = "B-2"
"""


TARGET_B = TARGET.replace('error_http_status = "any"', 'error_http_status = "mirror"')

# The tables a run with writes needs. They are kept out of TARGET and TARGET_B for now because the
# suite of this branch refuses a target file with an unknown table ([writes], [endpoints]); once
# the suite knows them (its --writes option), TARGET_WRITES / TARGET_B_WRITES are the files to use.
# profile_a (03) is not a [data] profile; it has links to 04 (Gift, Visits) and 05 (Gift and Rank,
# a property the suite does not write); 06 exists in Database B without a link.
WRITES = """
[writes]
rel_id = 9
profile_a = "aaaaaaaaaaaaaaaaaaaaaa03"
profiles_b = ["bbbbbbbbbbbbbbbbbbbbbb04", "bbbbbbbbbbbbbbbbbbbbbb05", "bbbbbbbbbbbbbbbbbbbbbb06"]
properties = ["Gift", "Visits"]

[endpoints]
attach = "/api/v1.1/relations/bind"
"""
TARGET_WRITES = TARGET + WRITES
TARGET_B_WRITES = TARGET_B + WRITES

broken_matching_guard = [False]  # set by make_app("matching_crash"): the guard is gone


class Fail(Exception):
    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _validate(f: dict[str, Any]) -> str:
    if "rel_id" not in f or not _is_int(f["rel_id"]):
        raise Fail(400, "rel_id must be an integer")
    for name in ("email", "phone", "profile_id", "field_name"):
        if name in f and not isinstance(f[name], str):
            raise Fail(400, f"{name} must be a string")
    if "resource_id" in f and not _is_int(f["resource_id"]):
        raise Fail(400, "resource_id must be an integer")
    if "field_value" in f and not (_is_int(f["field_value"]) or isinstance(f["field_value"], str)):
        raise Fail(400, "field_value must be an integer or a string")
    mode = f.get("matching")
    if mode is None and "matching" not in f:
        mode = "email" if "email" in f else "profile_id"
    if broken_matching_guard[0] is False and not isinstance(mode, str):
        raise Fail(400, "matching must be a string")
    if mode not in MODES:
        raise Fail(400, "unknown matching")
    for need in MODES[mode]:
        if f.get(need) in (None, ""):
            raise Fail(400, f"{need} is required")
    return str(mode)


def _matches(p: dict[str, Any], f: dict[str, Any], mode: str) -> bool:
    res = f.get("resource_id")
    if mode in ("email", "phone"):
        idx = 1 if mode == "email" else 2
        subs = [s for s in p["subs"] if res is None or s[0] == res]
        return (res is None and p[mode] == f[mode]) or any(s[idx] == f[mode] for s in subs)
    if mode == "email_profile":
        return bool(p["email"] == f["email"])
    if mode == "profile_id":
        return bool(p["id"] == f["profile_id"])
    return f["field_name"] == "CARD" and p["CARD"] is not None and str(p["CARD"]) == str(f["field_value"])


def _find(f: dict[str, Any], mode: str) -> dict[str, Any]:
    for p in PEOPLE:
        if _matches(p, f, mode):
            return p
    raise Fail(404, "no such profile")


def _numeric(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _data(p: dict[str, Any], broken: str, style: str = "a",
          links: list[tuple[str, dict[str, Any]]] | None = None) -> dict[str, Any]:
    """get_counter's ``data`` for profile ``p`` from its links (B profile, {property: value})."""
    if links is None:
        links = LINKS.get(p["id"], [])
    props: dict[str, Any] = {}
    names = list(KINDS) + list(dict.fromkeys(n for _, vals in links for n in vals if n not in KINDS))
    for name in names:
        kind = KINDS.get(name, "sum")
        having = [(b, vals[name]) for b, vals in links if name in vals]
        if not having:
            continue
        if not all(_numeric(v) for _, v in having):
            kind = "none"  # a property with a boolean value among its links: no top, no sum
        top: list[dict[str, Any]] | None = [] if style == "b" else None
        num = (lambda v: v) if style == "b" else float
        if kind == "top":
            ranked = sorted(having, key=lambda bv: (bv[1], bv[0]), reverse=True)  # ties: id descending
            top = [{"profile_id": b, "value": num(v)} for b, v in ranked]
            if broken == "top_unsorted":
                top.reverse()
        total = sum(v for _, v in having) if kind == "sum" else None
        props[name] = {"total": len(having), "sum": num(total) if total is not None else None, "top": top}
    xxh = xxhash.xxh64_hexdigest(p["id"].encode())
    if broken == "xxh_of_email":
        xxh = xxhash.xxh64_hexdigest(p["email"].encode())
    out = {"profile_id": p["id"], "profile_xxh": xxh, "total": len(links), "props": props}
    if style != "b":
        out["generated_at"] = time.time()
    return out


def _links(a_id: str, links: list[tuple[str, dict[str, Any]]], style: str) -> list[dict[str, Any]]:
    """relations/get's ``data``: style a orders the links by B profile id descending, numbers as
    doubles, ``db_b`` 7; style b keeps the order they were made in, numbers as stored, ``db_b`` 3."""
    if style != "b":
        links = sorted(links, key=lambda bv: bv[0], reverse=True)
    num = (lambda v: v) if style == "b" else (lambda v: v if isinstance(v, bool) else float(v))
    return [{"profile_id_a": a_id, "xxh_a": xxhash.xxh64_hexdigest(a_id.encode()),
             "profile_id_b": b, "xxh_b": xxhash.xxh64_hexdigest(b.encode()), "db_b": 3 if style == "b" else 7,
             "props": {k: {"value": num(v)} for k, v in vals.items()}} for b, vals in links]


def _xml_pretty(name: str, v: Any, depth: int = 0) -> str:
    """Style b: natural order, two-space indentation, nulls as empty elements, texts in CDATA."""
    pad = "\n" + "  " * depth
    if v is None:
        return f"{pad}<{name}/>"
    if isinstance(v, dict):
        inner = "".join(_xml_pretty(k, i, depth + 1) for k, i in v.items())
        return f"{pad}<{name}>{inner}{pad}</{name}>" if inner else f"{pad}<{name}></{name}>"
    if isinstance(v, list):
        return "".join(_xml_pretty(name, i, depth) for i in v) or f"{pad}<{name}/>"
    if isinstance(v, str):
        return f"{pad}<{name}><![CDATA[{v}]]></{name}>"
    if isinstance(v, bool):
        v = "true" if v else "false"
    return f"{pad}<{name}>{v}</{name}>"


def _xml(name: str, v: Any) -> str:
    if v is None:
        return ""  # X3: a null is an absent element
    if isinstance(v, dict):
        inner = "".join(_xml(k, v[k]) for k in sorted(v))
        return f"<{name}>{inner}</{name}>" if inner else f"<{name}/>"
    if isinstance(v, list):
        return "".join(_xml(name, i) for i in v) or f"<{name}/>"
    if isinstance(v, bool):
        v = "true" if v else "false"
    return f"<{name}>{escape(str(v))}</{name}>"


def _parse_xml_body(raw: bytes) -> dict[str, Any]:
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise Fail(400, "DTDs are not accepted")
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        raise Fail(400, "bad XML") from None
    if root.tag != "xml":
        raise Fail(400, "root must be <xml>")
    out: dict[str, Any] = {}
    for el in root:
        text = (el.text or "").strip()
        if (el.tag in ("rel_id", "resource_id") and text.lstrip("-").isdigit()) or (el.tag == "field_value" and text.isdigit()):
            out[el.tag] = int(text)
        else:
            out[el.tag] = text or None
    return out


def make_app(broken: str = "", style: str = "a", *, relations_get: bool = False) -> Any:
    """A WSGI app with a fresh store of links: get_counter, the four writes (attach at
    ``writes.ATTACH_PATH``) and, with ``relations_get``, relations/get (off by default: the suite's
    read-only run of ``tests/test_independent.py`` expects it to be "not available").
    ``app.store`` is the store; ``app.unexpected`` collects exceptions a write raised that it
    answered with an error envelope instead of crashing (tests assert it stays empty)."""
    from tests.independent import writes

    broken_matching_guard[0] = broken == "matching_crash"
    store = writes.Store(style)
    unexpected: list[BaseException] = []
    reads = ["/api/v1.1/relations/get_counter"] + (["/api/v1.1/relations/get"] if relations_get else [])

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        query = dict(kv.split("=", 1) for kv in environ.get("QUERY_STRING", "").split("&") if "=" in kv)
        fmt = query.get("format")
        try:
            size = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(size) if size else b""
            if environ["REQUEST_METHOD"] != "POST":
                raise Fail(400, "POST only")
            path = environ.get("PATH_INFO", "").rstrip("/")
            op = writes.WRITE_PATHS.get(path)
            if path not in reads and op is None:
                raise Fail(404, "unknown method")
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip()
            if op is not None:
                if ctype == "application/json":
                    fields = writes.parse_json(raw, style)
                elif ctype in ("application/xml", "text/xml"):
                    fields = writes.parse_xml(raw)
                else:
                    raise Fail(400, "unsupported Content-Type")
            elif ctype == "application/json":
                try:
                    fields = json.loads(raw.decode("utf-8"))
                except (ValueError, RecursionError):
                    raise Fail(400, "bad JSON") from None
                if not isinstance(fields, dict):
                    raise Fail(400, "body must be an object")
            elif ctype in ("application/xml", "text/xml"):
                fields = _parse_xml_body(raw)
            else:
                raise Fail(400, "unsupported Content-Type")
            fmt = fmt or fields.pop("format", None)  # the query wins over the body (left free)
            fields.pop("format", None)
            auth = environ.get("HTTP_AUTHORIZATION", "")
            token = fields.pop("token", None) or (auth[7:] if auth.startswith("Bearer ") else None)
            if not token:
                raise Fail(401, "token required")
            if token != TOKEN and broken != "any_token":
                raise Fail(401, "token not valid")
            env: dict[str, Any]
            if op is not None:
                try:
                    env = writes.handle(op, fields, store, broken)
                except Fail:
                    raise
                except Exception as exc:  # R6: an envelope, never a crash (and the tests see it)
                    unexpected.append(exc)
                    raise Fail(400, "the request could not be processed") from None
            else:
                mode = _validate(fields)
                if fields["rel_id"] != REL_ID:
                    raise Fail(422, "no such relation")
                p = _find(fields, mode)
                stale = broken == "counter_stale_after_write"
                links = store.pairs(p["id"], initial=stale and path.endswith("get_counter"))
                if path.endswith("get_counter"):
                    env = {"error": 0, "error_text": "Successful operation", "data": _data(p, broken, style, links)}
                else:
                    env = {"error": 0, "error_text": "Successful operation", "data": _links(p["id"], links, style),
                           "total_count": len(links)}
        except Fail as f:
            env = {"error": f.code, "error_text": f.text}
            if style == "b":
                env["data"] = None
        status = {400: "400 Bad Request", 422: "422 Unprocessable"}.get(env["error"], "200 OK")
        if env["error_text"] == "unknown method":
            status = "404 Not Found"
        if style == "b":
            env = writes.plain(env)
            env["api"] = "independent-b"
            code = env["error"]
            status = f"{code} Error" if 400 <= code < 500 else "200 OK"
            if fmt == "xml":
                body = _xml_pretty("xml", env).lstrip("\n").encode()
                ctype = "application/xml"
            else:
                body = json.dumps(env, ensure_ascii=False, separators=(",", ":")).encode()
                ctype = "application/json;charset=utf-8"
            start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
            return [body]
        if fmt == "xml":
            body = ('<?xml version="1.0" encoding="UTF-8"?>\n' + _xml("xml", env)).encode()
            ctype = "application/xml; charset=UTF-8"
        else:
            body = json.dumps(env, sort_keys=True, indent=4).encode()
            ctype = "application/json; charset=UTF-8"
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body)))])
        return [body]

    app.store = store  # type: ignore[attr-defined]
    app.unexpected = unexpected  # type: ignore[attr-defined]
    return app
