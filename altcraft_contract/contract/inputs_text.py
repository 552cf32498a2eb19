"""The input model's text dimension: classes of the request *text* (JSON per RFC 8259, XML 1.0),
of the HTTP method and of the Content-Type, each sent once with the first profile's request
(``rel_id``, ``matching=profile_id``, its ``profile_id``). A class has a kind; the verdict is the
kind's rule, never written per row:

- ``not a text``: not JSON or not XML at all (a leading zero or a plus sign, trailing data, an
  empty or whitespace body, an unclosed element) -> R4, 400 (a body that does not parse).
- ``not the request``: it parses, but is not the request object (a top-level array, string, number
  or null; nested arrays where the contract names a string, 10 or 100 deep) -> R4, 400.
- ``same request``: the same request written differently (``\\u00XX`` escapes of the identifier or
  of the keys, whitespace between every token, a processing instruction) -> success naming the
  profile (T2 for JSON, X1 for XML).
- ``request or refused``: the grammar leaves it to the reader, which either reads the request or
  refuses the text (a duplicate key or a repeated element with the same value; a byte order mark,
  which RFC 8259 lets a JSON parser ignore or refuse, and which XML 1.0 allows but many XML readers
  refuse) -> R6: the profile, or 400.
- ``read or nothing``: a reader may also read another value than the real one, which finds
  nothing (the first of two different values; a NUL, a lone surrogate or bytes that are not UTF-8
  after the identifier; a DOCTYPE, X6) -> R6 (X6): the profile, or an error other than 401-403.
- ``unnamed``: a field or markup the contract does not name (nesting 10 to 10,000 deep in it, an
  escaped solidus in it, attributes, a prefixed namespace): refusing it is free -> R6: the
  profile, or an error other than 401-403.
- ``refused``: nesting 1,000 or 10,000 deep where the contract names a string: a depth limit and
  the type both refuse it -> R6: 400.
- ``no relation``: a number no relation id can be (``-0`` is 0; ``1e400`` and ``1e-400`` are no
  integer a reader holds) -> R5: an error other than 401-403, never the profile.
- ``another relation``: a 20-digit integer names another relation or nothing -> R5: the profile
  or an error other than 401-403 (as 2^63 in ``inputs.py``).
- ``integer or refused``: ``3E0`` is the integer 3 to JSON Schema, a float to many parsers ->
  R4's 400 or the profile (as ``3.0``).
- ``method``: another HTTP method is free (CONTRACT.md, "Left free") but R6 holds: any envelope,
  no 5xx; a HEAD or OPTIONS answer without a body is HTTP's own, so for those only "no 5xx".
- ``content type``: a Content-Type other than the two the contract names (none, ``text/json``,
  ``text/plain``, a form, the other format's, an unknown charset, and ``APPLICATION/JSON``, which
  HTTP calls the same media type but a server may know only in lower case) -> R6: the profile, or
  an error other than 402-403.

Decisions made once:
- Where the token goes: in the body of every text that is an object (or an ``<xml>`` document),
  so the class is the only thing wrong with it; a text that cannot carry one (it does not parse,
  or is not an object) carries it in the header (T3), alone.
- A text a strict reader refuses whole (duplicate keys, nesting 1,000 deep, a BOM, a number beyond
  a double, a lone surrogate, bytes that are not UTF-8, a DTD, a namespace that hides the fields,
  a media type it does not read) takes its body token with it, and which of R2 and R4 wins is free
  (CONTRACT.md, "Left free"): such a class allows 401 beside 400.
- The duplicated key and the bad bytes sit in ``profile_id``; the other value of a duplicate is 24
  zeros, which names no profile (so "another profile" is no reading of it).
- The HTTP method and Content-Type classes send the plain request; each text carries a different
  amount of trailing whitespace (which JSON and XML allow), so no two are the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from .calls import AUTH_CODES, BODY_TOKEN, Auth, Call, Expect, Format
from .target import Target

Kind = Literal["not a text", "not the request", "same request", "request or refused", "read or nothing", "unnamed",
               "refused", "no relation", "another relation", "integer or refused", "method", "content type"]
Build = Callable[[int, str], bytes]  # the text, from the relation id and the profile id it names

AUTH_BUT_401 = frozenset({402, 403})  # a refused text took its body token with it: R2's 401 may win
NOWHERE = "0" * 24  # a profile id no profile holds (the other value of a duplicate)


@dataclass(frozen=True)
class TextClass:
    """One class of request texts: where it is listed, its kind, and how its text is built."""

    group: str  # the coverage table's field: JSON text, XML text, HTTP method, Content-Type
    name: str
    kind: Kind
    build: Build
    fmt: Format = "json"
    method: str = "POST"
    content_type: str | None = None
    refusable: bool = False  # a strict reader may refuse the whole text (and with it its body token)
    clause: str = ""  # the clause of a "read or nothing" class where it is not R6 (X6 for a DTD)


def _obj(pairs: list[tuple[str, str]], sep: str = ", ") -> str:
    return "{" + sep.join(f"{k}: {v}" for k, v in pairs) + "}"


def _pairs(rel: str, pid: str, token: bool = True, profile_ids: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """The request's ``key: value`` pairs as JSON text (keys and values already written)."""
    out = [('"token"', f'"{BODY_TOKEN}"')] if token else []
    out += [('"rel_id"', rel), ('"matching"', '"profile_id"'), ('"profile_id"', pid)]
    return out + [('"profile_id"', p) for p in profile_ids]


def _json(rel: object = None, pid: object = None, *, token: bool = True, extra: str = "",
          twice: str = "") -> Build:
    """A JSON request whose rel_id or profile_id text is given (callables of the real values)."""
    def build(r: int, p: str) -> bytes:
        rel_text = rel(r) if callable(rel) else str(r)
        pid_text = pid(p) if callable(pid) else json.dumps(p)
        pairs = _pairs(str(rel_text), str(pid_text), token, (json.dumps(p),) if twice == "same" else ())
        if twice == "other":  # the other value first, the real one last
            pairs[-1:] = [('"profile_id"', json.dumps(NOWHERE)), ('"profile_id"', json.dumps(p))]
        if extra:
            pairs.append(('"trace"', extra))
        return _obj(pairs).encode()
    return build


def _escaped(s: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" for c in s) + '"'


def _nested(depth: int, inner: str, *, objects: bool = False) -> str:
    if objects:
        return '{"a": ' * (depth - 1) + inner + "}" * (depth - 1)
    return "[" * depth + inner + "]" * depth


def _xml(r: int, p: str, *, token: bool = True, root: str = "<xml>", close: bool = True, pid_elements: int = 1,
         other_first: bool = False, extra: str = "", attrs: bool = False, end_root: str = "</xml>") -> bytes:
    rel = f'<rel_id type="integer">{r}</rel_id>' if attrs else f"<rel_id>{r}</rel_id>"
    pids = [f"<profile_id>{NOWHERE}</profile_id>"] if other_first else []
    pids += [f"<profile_id>{p}</profile_id>"] * pid_elements
    body = (root + (f"<token>{BODY_TOKEN}</token>" if token else "") + rel + "<matching>profile_id</matching>"
            + "".join(pids) + extra)
    return (body + (end_root if close else "")).encode()


def _plain(r: int, p: str) -> bytes:
    return _obj(_pairs(str(r), json.dumps(p))).encode()


def _c(group: str, name: str, kind: Kind, build: Build, **kw: object) -> TextClass:
    return TextClass(group, name, kind, build, **kw)  # type: ignore[arg-type]


J, X, M, C = "JSON text", "XML text", "HTTP method", "Content-Type"
_WS = '{ \n\t"token" :\r\n "%s" ,\n "rel_id"\t: %d , "matching" : "profile_id" ,\t"profile_id"\n:\n"%s" }\n'

JSON_CLASSES: tuple[TextClass, ...] = (
    _c(J, "a duplicate key with the same value", "request or refused", _json(twice="same"), refusable=True),
    _c(J, "a duplicate key, another value first", "read or nothing", _json(twice="other"), refusable=True),
    *(_c(J, f"nesting {d:,} deep in a field the contract does not name", "unnamed",
         _json(extra=_nested(d, "1", objects=True)), refusable=d >= 1000) for d in (10, 100, 1000, 10000)),
    *(_c(J, f"nesting {d:,} deep in profile_id", "not the request" if d < 1000 else "refused",
         _json(pid=lambda p, d=d: _nested(d, json.dumps(p))), refusable=d >= 1000) for d in (10, 100, 1000, 10000)),
    _c(J, "rel_id 1e400", "no relation", _json(rel=lambda r: "1e400"), refusable=True),
    _c(J, "rel_id -0", "no relation", _json(rel=lambda r: "-0")),
    _c(J, "rel_id with an exponent (3E0, 1E2's form)", "integer or refused", _json(rel=lambda r: f"{r}E0")),
    _c(J, "rel_id 1e-400", "no relation", _json(rel=lambda r: "1e-400"), refusable=True),
    _c(J, "rel_id of 20 digits", "another relation", _json(rel=lambda r: "12345678901234567890")),
    _c(J, "a leading zero (03)", "not a text", _json(rel=lambda r: f"0{r}", token=False)),
    _c(J, "a plus sign (+3)", "not a text", _json(rel=lambda r: f"+{r}", token=False)),
    _c(J, "profile_id written as \\u00XX escapes", "same request", _json(pid=_escaped)),
    _c(J, "every key written as \\u00XX escapes", "same request",
       lambda r, p: _obj([(_escaped(k.strip('"')), v) for k, v in _pairs(str(r), json.dumps(p))]).encode()),
    _c(J, "an escaped solidus (\\/) in a field the contract does not name", "unnamed", _json(extra='"a\\/b"')),
    _c(J, "a NUL (\\u0000) after profile_id", "read or nothing", _json(pid=lambda p: f'"{p}\\u0000"')),
    _c(J, "a lone surrogate (\\ud800) after profile_id", "read or nothing", _json(pid=lambda p: f'"{p}\\ud800"'),
       refusable=True),
    _c(J, "bytes that are not UTF-8 after profile_id", "read or nothing",
       lambda r, p: _json()(r, p).replace(p.encode(), p.encode() + b"\xff\xfe"), refusable=True),
    _c(J, "a byte order mark", "request or refused", lambda r, p: b"\xef\xbb\xbf" + _plain(r, p), refusable=True),
    _c(J, "whitespace between every token", "same request", lambda r, p: (_WS % (BODY_TOKEN, r, p)).encode()),
    _c(J, "trailing data after the value", "not a text", lambda r, p: _json(token=False)(r, p) + b"x"),
    _c(J, "an empty body", "not a text", lambda r, p: b""),
    _c(J, "a whitespace-only body", "not a text", lambda r, p: b" \r\n\t "),
    _c(J, "a top-level array holding the request", "not the request",
       lambda r, p: b"[" + _json(token=False)(r, p) + b"]"),
    _c(J, "a top-level string holding the request", "not the request",
       lambda r, p: json.dumps(_json(token=False)(r, p).decode()).encode()),
    _c(J, "a top-level number", "not the request", lambda r, p: str(r).encode()),
    _c(J, "a top-level null", "not the request", lambda r, p: b"null"),
)

XML_CLASSES: tuple[TextClass, ...] = (
    _c(X, "attributes", "unnamed", lambda r, p: _xml(r, p, root='<xml version="1">', attrs=True), fmt="xml"),
    _c(X, "a default namespace", "read or nothing", lambda r, p: _xml(r, p, root='<xml xmlns="urn:x-altcraft">'),
       fmt="xml", refusable=True),
    _c(X, "a prefixed namespace on an element the contract does not name", "unnamed",
       lambda r, p: _xml(r, p, root='<xml xmlns:t="urn:x-trace">', extra="<t:trace>1</t:trace>"), fmt="xml"),
    _c(X, "a processing instruction", "same request",
       lambda r, p: _xml(r, p, root="<xml><?audit note?>"), fmt="xml"),
    _c(X, "a byte order mark", "request or refused", lambda r, p: b"\xef\xbb\xbf" + _xml(r, p), fmt="xml",
       refusable=True),
    _c(X, "an unclosed element", "not a text", lambda r, p: _xml(r, p, token=False, close=False), fmt="xml"),
    _c(X, "a repeated element with the same value", "request or refused", lambda r, p: _xml(r, p, pid_elements=2),
       fmt="xml"),
    _c(X, "a repeated element, another value first", "read or nothing", lambda r, p: _xml(r, p, other_first=True),
       fmt="xml"),
    _c(X, "a DOCTYPE without entities", "read or nothing", lambda r, p: b"<!DOCTYPE xml>" + _xml(r, p),
       fmt="xml", refusable=True, clause="X6"),
)

METHOD_CLASSES: tuple[TextClass, ...] = tuple(
    _c(M, m, "method", _plain, method=m) for m in ("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"))

CONTENT_TYPE_CLASSES: tuple[TextClass, ...] = tuple(
    _c(C, name, "content type", _plain if fmt == "json" else _xml, fmt=fmt, content_type=ct,
       refusable=True)
    for name, ct, fmt in (
        ("none", "", "json"),
        ("the media type in upper case (APPLICATION/JSON)", "APPLICATION/JSON", "json"),
        ("text/json", "text/json", "json"),
        ("text/plain", "text/plain", "json"),
        ("application/x-www-form-urlencoded", "application/x-www-form-urlencoded", "json"),
        ("a JSON body labelled application/xml", "application/xml", "json"),
        ("an XML body labelled application/json", "application/json", "xml"),
        ("an unknown charset (application/json; charset=x-unknown)", "application/json; charset=x-unknown", "json"),
    ))

CLASSES: tuple[TextClass, ...] = JSON_CLASSES + XML_CLASSES + METHOD_CLASSES + CONTENT_TYPE_CLASSES


def text_call(target: Target, cls: TextClass) -> Call:
    """The request of ``cls`` for ``target``'s first profile: its text, with the token in the body
    where the text carries one and in the header otherwise; each class's bytes its own."""
    p = target.profiles[0]
    raw = cls.build(target.rel_id, p.profile_id) + b" " * (1 + CLASSES.index(cls))
    if raw.strip() == b"":
        raw = cls.build(target.rel_id, p.profile_id)  # an empty body stays empty
    auth = Auth.BODY if BODY_TOKEN.encode() in raw else Auth.HEADER
    return Call(fields=(), raw_body=raw, body_format=cls.fmt, auth=auth, method=cls.method,
                content_type=cls.content_type)


def text_verdict(target: Target, cls: TextClass) -> Expect:
    """What a correct target answers to ``cls``: the rule of its kind (this module's docstring)."""
    pid = target.profiles[0].profile_id
    why = f"{cls.group}: {cls.name}"
    others = AUTH_BUT_401 if cls.refusable else AUTH_CODES
    if cls.kind in ("not a text", "not the request"):
        return Expect.error("R4", {400}, reason=f"{why}: not a request ({cls.kind})")
    if cls.kind == "same request":
        return Expect.success("X1" if cls.fmt == "xml" else "T2", pid)
    if cls.kind == "request or refused":
        return Expect.found_or_none("R6", pid, f"{why}: read as the request, or refused",
                                    codes={400, 401} if cls.refusable else {400}, forbidden=others)
    if cls.kind in ("read or nothing", "unnamed", "content type"):
        return Expect.found_or_none(cls.clause or "R6", pid, f"{why}: read as the request, refused, or found "
                                    "nothing; never another profile", forbidden=others)
    if cls.kind == "refused":
        return Expect.error("R6", {400, 401}, reason=f"{why}: refused for its depth or its type")
    if cls.kind == "no relation":
        return Expect.error("R5", None, forbidden=set(others),
                            reason=f"{why}: no relation has that id, so nothing is found")
    if cls.kind == "another relation":
        return Expect.found_or_none("R5", pid, f"{why}: names another relation or nothing")
    if cls.kind == "integer or refused":
        return Expect.found_or_none("R4", pid, f"{why}: refused (R4) or read as the integer it equals")
    return Expect.anything("R6", f"{why}: another method is free, but never a 5xx")
