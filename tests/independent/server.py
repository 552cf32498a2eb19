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

The body's text (``body.py``): every request that is not JSON/XML, or is not a request object, is
a 400; nothing makes the server fail (an unexpected exception is an envelope, recorded in
``app.unexpected``). What the grammars leave free (duplicate keys, depth, a BOM, lone
surrogates, ids beyond int64, XML attributes and namespaces, Content-Type forms) differs by
style: the table is in ``body.py``. Other methods than POST are a 400 envelope (no body for HEAD).

Identity is exact: an email at another domain, one character off, with a prefix or suffix, a
phone with a digit more, less or changed, a profile_id with one hex digit changed, a custom value
one off or cut never find the profile. Email letter case is free (R5): style a compares emails
ignoring ASCII letter case, style b exactly. A ``rel_id`` or ``resource_id`` of 0 or below: a 400
in style a, nothing found (R5) in style b.

Numbers: integers of any size exactly, booleans as booleans (``true`` is not 1); other numbers are
doubles in style a, exact decimals in style b; get_counter's sums are exact (no double sum). The
writes live in ``writes.py``; each ``make_app`` builds a fresh store of links that both reads show;
relations/get is served only with ``make_app(..., relations_get=True)``.

``make_app(..., freedoms=...)`` selects free choices beyond the styles (``freedoms.py``: booleans
counted in sum/top, exact decimals written exactly, 429s with Retry-After, chunked answers,
connections closed after a few answers, error texts that echo the value; the option set "c" is
all of them). ``READ_DEFECTS``, ``WRITE_DEFECTS`` and ``DEPTH_DEFECTS`` name the deliberate
defects and the clause each breaks (the depth defects are in dimensions the suite does not send
yet). ``targets.py`` holds the target files.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xxhash

from tests.independent import body, render
from tests.independent.fail import Crash, Fail
from tests.independent.freedoms import Freedoms, Transport
from tests.independent.freedoms import freedoms as freedoms_of
from tests.independent.targets import TARGET, TARGET_B, TARGET_B_WRITES, TARGET_WRITES, WRITES

__all__ = ["TARGET", "TARGET_B", "TARGET_B_WRITES", "TARGET_WRITES", "WRITES", "Fail", "make_app"]

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
    "aaaaaaaaaaaaaaaaaaaaaa01": [("bbbbbbbbbbbbbbbbbbbbbb01", {"Gift": 10, "Visits": 1, "Vip": True}),
                                 ("bbbbbbbbbbbbbbbbbbbbbb02", {"Gift": 10, "Visits": 2.5, "Vip": False}),
                                 ("bbbbbbbbbbbbbbbbbbbbbb03", {"Gift": 4, "Fan": True})],
    "aaaaaaaaaaaaaaaaaaaaaa03": [("bbbbbbbbbbbbbbbbbbbbbb04", {"Gift": 3, "Visits": 1.5}),
                                 ("bbbbbbbbbbbbbbbbbbbbbb05", {"Gift": 7, "Rank": 2})],
}
# How get_counter aggregates each property (other names: "sum"). A property with a boolean among
# its links shows no top and no sum, unless the ``bools_counted`` freedom counts true as 1, false as 0.
KINDS = {"Gift": "top", "Visits": "sum", "Fan": "top", "Rank": "top", "Vip": "sum"}
# The ``cancelling`` freedom's data: profile 01's links carry Score 1e16, 1.5 and -1e16 (sum 1.5).
CANCELLING = {"bbbbbbbbbbbbbbbbbbbbbb01": 1e16, "bbbbbbbbbbbbbbbbbbbbbb02": 1.5, "bbbbbbbbbbbbbbbbbbbbbb03": -1e16}

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
# Defects in the dimensions of issue 15, which the suite does not send yet (tests/independent/test_depth*.py).
DEPTH_DEFECTS = {
    "duplicate_keys_crash": "R6",  # a JSON object with a repeated key: HTTP 500, no envelope
    "deep_nesting_crash": "R6",  # no depth limit: JSON nested ~1000 deep is a RecursionError, HTTP 500
    "array_body_accepted": "R4",  # a top-level array is taken as a batch: its first object is served
    "email_without_domain": "R5",  # emails compared on the local part: ann@other.test finds ann@shop.test
    "phone_last_digit_ignored": "R5",  # phones compared without their last digit
    "profile_id_prefix": "R5",  # profile ids compared on their first 23 hex digits
    "rel_id_nonpositive_any": "R5",  # rel_id 0 or below means "any relation": relation 9 is served
    "big_int_as_double": "S1",  # weights stored as doubles: 2^53 + 1 reads back as 2^53
    "bool_as_number": "S1",  # boolean weights stored as 1/0: relations/get shows 1 where true was written
    "double_sums": "C3",  # get_counter's sums added as doubles: 1e16 + 1.5 + -1e16 gives 2
    "refusal_after_apply": "W7",  # weights applied before a bad weight or an unknown profile_b is found
    "lost_updates": "S1",  # strengthen reads, waits, writes without the lock: concurrent updates are lost
}

broken_matching_guard = [False]  # set by make_app("matching_crash"): the guard is gone


@dataclass(frozen=True)
class Ctx:
    """What one app decides by: its style, its defect and its freedoms."""
    style: str = "a"
    broken: str = ""
    free: Freedoms = field(default_factory=Freedoms)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def check_id(f: dict[str, Any], name: str, ctx: Ctx, where: str = "") -> None:
    """``rel_id``/``resource_id``: an integer (R4), within int64 in style a, above 0 in style a."""
    v = f[name]
    if not _is_int(v):
        raise body.wrong(ctx.free.echo, where + name, v, "an integer")
    if not body.id_in_range(v, ctx.style):
        raise Fail(400, f"{where}{name} is out of range" + (f": {body.show(v)}" if ctx.free.echo else ""))
    if v <= 0 and ctx.style != "b" and not (name == "rel_id" and ctx.broken == "rel_id_nonpositive_any"):
        raise Fail(400, f"{where}{name} must be positive" + (f": {body.show(v)}" if ctx.free.echo else ""))


def check_identifiers(f: dict[str, Any], ctx: Ctx, where: str = "") -> None:
    for name in ("email", "phone", "profile_id", "field_name"):
        if name in f and not isinstance(f[name], str):
            raise body.wrong(ctx.free.echo, where + name, f[name], "a string")
    if "resource_id" in f:
        check_id(f, "resource_id", ctx, where)
    if "field_value" in f and not (_is_int(f["field_value"]) or isinstance(f["field_value"], str)):
        raise body.wrong(ctx.free.echo, where + "field_value", f["field_value"], "an integer or a string")


def _validate(f: dict[str, Any], ctx: Ctx) -> str:
    if "rel_id" not in f:
        raise Fail(400, "rel_id must be an integer")
    check_id(f, "rel_id", ctx)
    check_identifiers(f, ctx)
    mode = f.get("matching")
    if mode is None and "matching" not in f:
        mode = "email" if "email" in f else "profile_id"
    if broken_matching_guard[0] is False and not isinstance(mode, str):
        raise body.wrong(ctx.free.echo, "matching", mode, "a string")
    if mode not in MODES:
        raise Fail(400, "unknown matching" + (f": {body.show(mode)}" if ctx.free.echo else ""))
    for need in MODES[mode]:
        if f.get(need) in (None, ""):
            raise Fail(400, f"{need} is required")
    return str(mode)


ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _same(kind: str, stored: Any, given: Any, ctx: Ctx) -> bool:
    """Whether an identifier names the stored one: exact, but for the free letter case of emails
    (style a: ASCII letters only, so a Kelvin sign is not a k) and the deliberate defects."""
    if not isinstance(stored, str) or not isinstance(given, str) or not given:
        return False
    if kind == "email":
        if ctx.broken == "email_without_domain":
            return stored.split("@")[0] == given.split("@")[0]
        if ctx.style != "b":
            return stored.translate(ASCII_LOWER) == given.translate(ASCII_LOWER)
    if kind == "phone" and ctx.broken == "phone_last_digit_ignored":
        return len(stored) == len(given) and stored[:-1] == given[:-1]
    if kind == "profile_id" and ctx.broken == "profile_id_prefix":
        return len(given) == 24 and stored[:23] == given[:23]
    return stored == given


def _matches(p: dict[str, Any], f: dict[str, Any], mode: str, ctx: Ctx | None = None) -> bool:
    ctx = ctx or Ctx()
    res = f.get("resource_id")
    if res is not None and res <= 0:
        return False  # a resource that cannot exist holds no subscription and names no profile
    if mode in ("email", "phone"):
        idx = 1 if mode == "email" else 2
        subs = [s for s in p["subs"] if res is None or s[0] == res]
        return (res is None and _same(mode, p[mode], f[mode], ctx)) or any(_same(mode, s[idx], f[mode], ctx) for s in subs)
    if mode == "email_profile":
        return _same("email", p["email"], f["email"], ctx)
    if mode == "profile_id":
        return _same("profile_id", p["id"], f["profile_id"], ctx)
    card, value = p["CARD"], f["field_value"]
    if f["field_name"] != "CARD" or card is None:
        return False
    return card == value if _is_int(value) and _is_int(card) else str(card) == str(value)


def find(people: list[dict[str, Any]], f: dict[str, Any], mode: str, ctx: Ctx, what: str = "profile") -> dict[str, Any]:
    for p in people:
        if _matches(p, f, mode, ctx):
            return p
    if ctx.free.echo:
        named = next((n for n in MODES[mode] if n != "field_name"), "profile_id")
        raise Fail(404, f"no {what} with {named} {body.show(f.get(named))}")
    raise Fail(404, f"no such {what}" if what == "profile" else f"{what} not found")


def _numeric(v: Any) -> bool:
    return isinstance(v, (int, float, Decimal)) and not isinstance(v, bool)


def _data(p: dict[str, Any], broken: str, style: str = "a", links: list[tuple[str, dict[str, Any]]] | None = None,
          free: Freedoms | None = None) -> dict[str, Any]:
    """get_counter's ``data`` for profile ``p`` from its links (B profile, {property: value})."""
    free = free or Freedoms()
    if links is None:
        links = LINKS.get(p["id"], [])
    props: dict[str, Any] = {}
    names = list(KINDS) + list(dict.fromkeys(n for _, vals in links for n in vals if n not in KINDS))
    for name in names:
        kind = KINDS.get(name, "sum")
        having = [(b, vals[name]) for b, vals in links if name in vals]
        if not having:
            continue
        if free.bools_counted:
            having = [(b, int(v) if isinstance(v, bool) else v) for b, v in having]  # true counts 1, false 0
        elif not all(_numeric(v) for _, v in having):
            kind = "none"  # a property with a boolean value among its links: no top, no sum
        top: list[dict[str, Any]] | None = [] if style == "b" else None
        if kind == "top":
            ranked = sorted(having, key=lambda bv: (bv[1], bv[0]), reverse=True)  # ties: id descending
            top = [{"profile_id": b, "value": render.number(v, style, free.exact)} for b, v in ranked]
            if broken == "top_unsorted":
                top.reverse()
        total: Any = None
        if kind == "sum":
            values = [v for _, v in having]
            total = sum(float(v) for v in values) if broken == "double_sums" else render.exact_sum(values)
            total = render.number(total, style, free.exact)
        props[name] = {"total": len(having), "sum": total, "top": top}
    xxh = xxhash.xxh64_hexdigest(p["id"].encode())
    if broken == "xxh_of_email":
        xxh = xxhash.xxh64_hexdigest(p["email"].encode())
    out = {"profile_id": p["id"], "profile_xxh": xxh, "total": len(links), "props": props}
    if style != "b":
        out["generated_at"] = time.time()
    return out


def _links(a_id: str, links: list[tuple[str, dict[str, Any]]], style: str, free: Freedoms) -> list[dict[str, Any]]:
    """relations/get's ``data``: style a orders the links by B profile id descending, ``db_b`` 7;
    style b keeps the order they were made in, ``db_b`` 3. Booleans stay booleans."""
    if style != "b":
        links = sorted(links, key=lambda bv: bv[0], reverse=True)

    def num(v: Any) -> Any:
        return v if isinstance(v, bool) else render.number(v, style, free.exact)

    return [{"profile_id_a": a_id, "xxh_a": xxhash.xxh64_hexdigest(a_id.encode()),
             "profile_id_b": b, "xxh_b": xxhash.xxh64_hexdigest(b.encode()), "db_b": 3 if style == "b" else 7,
             "props": {k: {"value": num(v)} for k, v in vals.items()}} for b, vals in links]


CANONICAL_INT = re.compile(r"-?(?:0|[1-9][0-9]{0,3999})")


def parse_request(raw: bytes, kind: str, write: bool, ctx: Ctx) -> dict[str, Any]:
    """The request's fields from a JSON or XML body (XML texts typed as the fields need)."""
    from tests.independent import writes

    if kind == "json":
        broken = ctx.broken
        try:
            value = body.parse_json(raw, ctx.style, ctx.free.exact, check_depth=broken != "deep_nesting_crash",
                                    duplicates="crash" if broken == "duplicate_keys_crash" else None)
        except RecursionError:
            if broken == "deep_nesting_crash":
                raise Crash("RecursionError") from None
            raise
        if broken == "array_body_accepted" and isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0]
        return body.request_object(value)
    fields = body.parse_xml(raw, ctx.style)
    for name in ("rel_id", "resource_id"):
        if name in fields:
            fields[name] = body.xml_integer(fields[name])
    value = fields.get("field_value")
    if isinstance(value, str) and CANONICAL_INT.fullmatch(value):
        fields["field_value"] = int(value)
    return writes.typed_xml(fields) if write else fields


def make_app(broken: str = "", style: str = "a", *, relations_get: bool = False,
             freedoms: Freedoms | str | list[str] | tuple[str, ...] = ()) -> Any:
    """A WSGI app with a fresh store of links: get_counter, the four writes (attach at
    ``writes.ATTACH_PATH``) and, with ``relations_get``, relations/get (off by default: the suite's
    read-only run of ``tests/independent/test_suite_passes.py`` expects it to be "not available").
    ``freedoms``: see ``freedoms.py``. ``app.store`` is the store; ``app.unexpected`` collects
    exceptions it answered with an error envelope instead of crashing (tests assert it stays empty)."""
    from tests.independent import writes

    broken_matching_guard[0] = broken == "matching_crash"
    ctx = Ctx(style, broken, freedoms_of(freedoms))
    store = writes.Store(style, exact=ctx.free.exact, cancelling=ctx.free.cancelling)
    transport = Transport(ctx.free)
    unexpected: list[BaseException] = []
    reads = ["/api/v1.1/relations/get_counter"] + (["/api/v1.1/relations/get"] if relations_get else [])

    def serve(environ: dict[str, Any], fmt: Any, headers: list[tuple[str, str]]) -> tuple[dict[str, Any], Any]:
        raw = body.read_body(environ)
        retry = transport.retry_after()
        if retry is not None:
            headers.append(("Retry-After", retry))
            return {"error": 429, "error_text": f"Too many requests: retry after {retry} s"}, fmt
        if environ["REQUEST_METHOD"] != "POST":
            headers.append(("Allow", "POST"))
            raise Fail(400, "POST only")
        path = environ.get("PATH_INFO", "").rstrip("/")
        op = writes.WRITE_PATHS.get(path)
        if path not in reads and op is None:
            raise Fail(404, "unknown method")
        fields = parse_request(raw, body.media(environ, raw, style), op is not None, ctx)
        fmt = fmt or fields.pop("format", None)  # the query wins over the body (left free)
        fields.pop("format", None)
        auth = environ.get("HTTP_AUTHORIZATION", "")
        token = fields.pop("token", None) or (auth[7:] if auth.startswith("Bearer ") else None)
        if not token:
            raise Fail(401, "token required")
        if token != TOKEN and broken != "any_token":
            raise Fail(401, "token not valid")
        if op is not None:
            return writes.handle(op, fields, store, ctx), fmt
        mode = _validate(fields, ctx)
        if fields["rel_id"] != REL_ID and not (broken == "rel_id_nonpositive_any" and fields["rel_id"] <= 0):
            raise Fail(422, "no such relation" + (f": rel_id {body.show(fields['rel_id'])}" if ctx.free.echo else ""))
        p = find(PEOPLE, fields, mode, ctx)
        stale = broken == "counter_stale_after_write"
        links = store.pairs(p["id"], initial=stale and path.endswith("get_counter"))
        if path.endswith("get_counter"):
            return {"error": 0, "error_text": "Successful operation", "data": _data(p, broken, style, links, ctx.free)}, fmt
        return {"error": 0, "error_text": "Successful operation", "data": _links(p["id"], links, style, ctx.free),
                "total_count": len(links)}, fmt

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        query = dict(kv.split("=", 1) for kv in environ.get("QUERY_STRING", "").split("&") if "=" in kv)
        fmt: Any = query.get("format")
        headers: list[tuple[str, str]] = []
        try:
            env, fmt = serve(environ, fmt, headers)
        except Fail as f:
            env = {"error": f.code, "error_text": f.text}
        except Exception as exc:  # R6: an envelope, never a crash (and the tests see it)
            if isinstance(exc, Crash) or broken == "matching_crash":  # a defect: no guard, HTTP 500
                page = b"Internal Server Error"
                start_response("500 Internal Server Error", [("Content-Type", "text/plain"), ("Content-Length", "21")])
                return [page]
            unexpected.append(exc)
            env = {"error": 400, "error_text": "the request could not be processed"}
        if env["error"] != 0 and style == "b":
            env["data"] = None
        code = env["error"]
        if code == 429:
            status = "429 Too Many Requests"
        elif style == "b":
            status = f"{code} Error" if 400 <= code < 500 else "200 OK"
        else:
            status = "404 Not Found" if env["error_text"] == "unknown method" else \
                {400: "400 Bad Request", 422: "422 Unprocessable"}.get(code, "200 OK")
        if style == "b":
            env = writes.plain(env, ctx.free.exact)
            env["api"] = "independent-b"
        if fmt == "xml":
            data = render.xml_body(env, style)
            ctype = "application/xml" if style == "b" else "application/xml; charset=UTF-8"
        else:
            data = render.json_body(env, style)
            ctype = "application/json;charset=utf-8" if style == "b" else "application/json; charset=UTF-8"
        headers[:0] = [("Content-Type", ctype), ("Content-Length", str(len(data)))]
        chunks = transport.body(data, headers, environ)
        start_response(status, headers)
        return chunks

    app.store = store  # type: ignore[attr-defined]
    app.unexpected = unexpected  # type: ignore[attr-defined]
    app.ctx = ctx  # type: ignore[attr-defined]
    app.transport = transport  # type: ignore[attr-defined]
    return app
