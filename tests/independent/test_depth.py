"""The independent implementation (tests/independent/) against the dimensions of issue 15 that no
schema states, sent directly through its API client: the text of the body (JSON and XML as texts,
HTTP methods, Content-Type forms) and identity near-misses. Every answer is an envelope, never a
5xx and never an unexpected exception; 400 where the contract says 400 (R4); each style's own
verdict where the grammar leaves it free (R6)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.independent.api import B4, PATH, TOKEN, A, Api

GET, COUNTER = "/api/v1.1/relations/get", "/api/v1.1/relations/get_counter"
ANN = "aaaaaaaaaaaaaaaaaaaaaa01"
BASE = {"token": TOKEN, "rel_id": 9, "profile_id": ANN}
GOOD = json.dumps(BASE)[:-1]  # '{"token": ..., "profile_id": "..."' : a field or two may follow
OK, R5 = 0, "R5"  # R5: nothing found (any code but 0 and 401-403)


def _json(tail: str | bytes) -> bytes:
    return GOOD.encode() + (tail if isinstance(tail, bytes) else tail.encode()) + b"}"


def _nest(depth: int) -> str:
    return "[" * depth + "]" * depth


# name: (body, verdict in style a, verdict in style b); a verdict is an error code, OK or R5.
JSON_TEXTS: dict[str, tuple[bytes, Any, Any]] = {
    "empty body": (b"", 400, 400), "whitespace body": (b" \r\n\t ", 400, 400),
    "unclosed object": (GOOD.encode(), 400, 400), "trailing data": (_json("") + b" {}", 400, 400),
    "trailing garbage": (_json("") + b"x", 400, 400), "trailing whitespace": (_json("") + b"\n ", OK, OK),
    "top-level array": (b"[" + _json("") + b"]", 400, 400), "top-level string": (b'"x"', 400, 400),
    "top-level number": (b"9", 400, 400), "top-level null": (b"null", 400, 400), "top-level true": (b"true", 400, 400),
    "duplicate key, last valid": (b'{"rel_id": 1, ' + _json("")[1:], OK, 400),
    "duplicate key, first valid": (_json(', "rel_id": 1'), 422, 400),
    "duplicate key, same value": (_json(', "rel_id": 9'), OK, 400),
    "duplicate nested key": (_json(', "x": {"k": 1, "k": 2}'), OK, 400),
    "depth 10": (_json(f', "x": {_nest(10)}'), OK, OK), "depth 100": (_json(f', "x": {_nest(100)}'), 400, OK),
    "depth 1000": (_json(f', "x": {_nest(1000)}'), 400, 400), "depth 10000": (_json(f', "x": {_nest(10000)}'), 400, 400),
    "depth 10000 unclosed": (b"[" * 10000, 400, 400), "depth 10000 in rel_id": (_json(f', "rel_id": {_nest(10000)}'), 400, 400),
    "objects 5000 deep": (b'{"a":' * 5000 + b"1" + b"}" * 5000, 400, 400),
    "1e400 unnamed": (_json(', "x": 1e400'), OK, OK), "-1e400 unnamed": (_json(', "x": -1e400'), OK, OK),
    "1e-400 unnamed": (_json(', "x": 1e-400'), OK, OK), "1e400 rel_id": (_json(', "rel_id": 1e400'), 400, 400),
    "-0 rel_id": (_json(', "rel_id": -0'), 400, R5), "1E2 rel_id": (_json(', "rel_id": 1E2'), 400, 400),
    "9.0 rel_id": (_json(', "rel_id": 9.0'), 400, 400), "20 digits rel_id": (_json(', "rel_id": 12345678901234567890'), 400, R5),
    "5000 digits rel_id": (_json(', "rel_id": 1' + "0" * 5000), 400, 400),
    "leading zero": (_json(', "rel_id": 09'), 400, 400), "plus sign": (_json(', "rel_id": +9'), 400, 400),
    "NaN": (_json(', "x": NaN'), 400, 400), "Infinity": (_json(', "x": -Infinity'), 400, 400),
    "hex number": (_json(', "rel_id": 0x9'), 400, 400), "single quotes": (b"{'rel_id': 9}", 400, 400),
    "a comment": (_json(", /* c */ \"x\": 1"), 400, 400), "trailing comma": (_json(","), 400, 400),
    "NUL escape in email": (_json(', "matching": "email", "email": "ann@shop.test\\u0000"'), R5, R5),
    "raw NUL in a string": (_json(', "x": "a\x00b"'), 400, 400),
    "lone surrogate in email": (_json(', "matching": "email", "email": "\\ud800ann@shop.test"'), 400, R5),
    "lone low surrogate": (_json(', "x": "\\udc00"'), 400, OK), "surrogate pair": (_json(', "x": "\\ud83d\\ude00"'), OK, OK),
    "lone surrogate key": (_json(', "\\ud800": 1'), 400, OK),
    "escaped slash and letters": (b'{"token": "%s", "rel_id": 9, "matching": "email", "email": "\\u0061nn@shop.test\\/"}'
                                  % TOKEN.encode(), R5, R5),
    "escaped email": (b'{"token": "%s", "rel_id": 9, "matching": "email", "email": "\\u0061nn@shop.test"}' % TOKEN.encode(), OK, OK),
    "bytes not UTF-8": (_json(b', "x": "\xff\xfe"'), 400, 400), "encoded surrogate": (_json(b', "x": "\xed\xa0\x80"'), 400, 400),
    "overlong UTF-8": (_json("").replace(b'"rel_id"', b'"rel\xc0\xdfid"'), 400, 400),
    "UTF-8 BOM": (b"\xef\xbb\xbf" + _json(""), OK, 400),
    "UTF-16 BOM": (b"\xff\xfe" + _json("").decode().encode("utf-16-le"), 400, 400),
    "UTF-16 text": (_json("").decode().encode("utf-16"), 400, 400),
}


def _verdict(env: dict[str, Any], want: Any) -> bool:
    if want == R5:
        return env["error"] not in (0, 401, 402, 403)
    return bool(env["error"] == want)


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("name", sorted(JSON_TEXTS))
def test_json_texts_get_an_envelope_and_the_verdict(style: str, name: str) -> None:
    raw, want_a, want_b = JSON_TEXTS[name]
    api = Api(style=style)
    for path in (GET, COUNTER):
        status, env = api.call(path, raw)
        assert _verdict(env, want_a if style == "a" else want_b), (name, env)
        assert status in (200, env["error"]) if style == "b" else status < 500
        assert (env["error"] == 0) == ("data" in env and env["data"] is not None)


def _xml(inner: str, root: str = "<xml>", token: bool = True) -> bytes:
    fields = (f"<token>{TOKEN}</token>" if token else "") + f"<rel_id>9</rel_id><profile_id>{ANN}</profile_id>"
    return (root + fields + inner + "</xml>").encode()


XML_TEXTS: dict[str, tuple[bytes, Any, Any]] = {
    "plain": (_xml(""), OK, OK), "declaration": (b'<?xml version="1.0" encoding="UTF-8"?>' + _xml(""), OK, OK),
    "attribute on the root": (_xml("", '<xml lang="en">'), OK, 400), "attribute on a field": (_xml('<x a="1">2</x>'), OK, 400),
    "default namespace": (_xml("", '<xml xmlns="urn:x">'), OK, 400),
    "prefixed fields": (f'<p:xml xmlns:p="urn:p"><p:token>{TOKEN}</p:token><p:rel_id>9</p:rel_id>'
                        f"<p:profile_id>{ANN}</p:profile_id></p:xml>".encode(), OK, 400),
    "unbound prefix": (_xml("<q:x>1</q:x>"), 400, OK), "processing instruction": (_xml("<?php echo 1 ?>"), OK, OK),
    "comment": (_xml("<!-- c -->"), OK, OK), "CDATA": (_xml("<x><![CDATA[<y/>]]></x>"), OK, OK),
    "unclosed element": (_xml("<x>"), 400, 400), "unclosed root": (_xml("")[:-6], 400, 400),
    "mismatched tags": (_xml("<x></y>"), 400, 400), "duplicate child": (_xml("<rel_id>9</rel_id>"), 400, 400),
    "duplicate nested child": (_xml("<x><k>1</k><k>2</k></x>"), 400, 400),
    "two roots": (_xml("") + b"<xml/>", 400, 400), "trailing text": (_xml("") + b"x", 400, 400),
    "another root name": (_xml("", "<request>").replace(b"</xml>", b"</request>"), 400, 400),
    "DTD": (b'<!DOCTYPE xml [<!ENTITY e "9">]>' + _xml("").replace(b">9<", b">&e;<"), 400, 400),
    "external entity": (b'<!DOCTYPE xml [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + _xml("<x>&e;</x>"), 400, 400),
    "undefined entity": (_xml("<x>&e;</x>"), 400, 400), "depth 10": (_xml("<x>" * 10 + "</x>" * 10), OK, OK),
    "depth 100": (_xml("<x>" * 100 + "</x>" * 100), 400, OK), "depth 1000": (_xml("<x>" * 1000 + "</x>" * 1000), 400, 400),
    "depth 10000": (_xml("<x>" * 10000 + "</x>" * 10000), 400, 400),
    "depth in rel_id": (_xml("").replace(b">9<", b"><a>9</a><"), 400, 400),
    "NUL character ref": (_xml("<x>&#0;</x>"), 400, 400), "raw NUL": (_xml("<x>\x00</x>"), 400, 400),
    "bytes not UTF-8": (_xml("<x>\xff</x>").replace(b"\xc3\xbf", b"\xff"), 400, 400), "BOM": (b"\xef\xbb\xbf" + _xml(""), OK, OK),
    "latin-1 declared": (b'<?xml version="1.0" encoding="ISO-8859-1"?>' + _xml("<x>\xe9</x>").replace(b"\xc3\xa9", b"\xe9"), OK, OK),
    "empty": (b"", 400, 400), "whitespace": (b"  \n", 400, 400), "text only": (b"rel_id=9", 400, 400),
    "empty root": (b"<xml/>", 400, 400), "root with text": (b"<xml>9</xml>", 400, 400),
    "rel_id with spaces": (_xml("").replace(b">9<", b"> 9 <"), OK, OK),
    "rel_id Arabic digit": (_xml("").replace(b">9<", ">\u0669<".encode()), 400, 400),
    "rel_id 0": (_xml("").replace(b">9<", b">0<"), 400, R5),
    "rel_id 20 digits": (_xml("").replace(b">9<", b">12345678901234567890<"), 400, R5),
}


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("name", sorted(XML_TEXTS))
def test_xml_texts_get_an_envelope_and_the_verdict(style: str, name: str) -> None:
    raw, want_a, want_b = XML_TEXTS[name]
    api = Api(style=style)
    for answer in ("json", "xml"):
        _, env = api.call(GET, raw, send="xml", answer=answer)
        assert _verdict(env, want_a if style == "a" else want_b), (name, env)


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("name", ["depth 10000", "duplicate key, last valid", "top-level array", "lone surrogate in email",
                                  "UTF-8 BOM", "bytes not UTF-8", "1e400 unnamed", "20 digits rel_id"])
def test_the_writes_read_body_texts_as_the_reads_do(style: str, name: str) -> None:
    raw, want_a, want_b = JSON_TEXTS[name]
    objects = f'"profile_a": {{"profile_id": "{A}"}}, "profile_b": {{"profile_id": "{B4}"}}, "weights": {{"Gift": 1}}'
    body = raw.replace(f'"profile_id": "{ANN}"'.encode(), objects.encode())
    api = Api(style=style)
    before = api.links()
    _, env = api.call(PATH["strengthen"], body)
    assert _verdict(env, want_a if style == "a" else want_b), (name, env)
    assert (api.links() == before) == (env["error"] != 0)


METHODS = ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO"]


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("method", METHODS)
def test_other_methods_are_400_envelopes_and_head_has_no_body(style: str, method: str) -> None:
    api = Api(style=style)
    for path in (GET, PATH["edit"], "/api/v1.1/relations/nothing"):
        status, headers, raw = api.raw(path, json.dumps(BASE), method=method)
        assert status == 400 and headers["Allow"] == "POST"
        if method == "HEAD":
            assert raw == b"" and int(headers["Content-Length"]) > 0
        else:
            env = json.loads(raw)
            assert env["error"] == 400 and env["error_text"] == "POST only"
    assert api.app.unexpected == []


CONTENT_TYPES: dict[str, tuple[str | None, Any, Any]] = {  # name: (Content-Type, verdict a, verdict b)
    "plain": ("application/json", OK, OK), "charset": ("application/json; charset=utf-8", OK, OK),
    "no space, upper charset": ("application/json;charset=UTF-8", OK, OK), "upper case": ("APPLICATION/JSON", OK, OK),
    "quoted charset": ('application/json; charset="utf-8"', OK, OK), "latin-1 charset": ("application/json; charset=latin-1", 400, OK),
    "missing": (None, OK, 400), "empty": ("", OK, 400), "+json suffix": ("application/vnd.api+json", OK, 400),
    "text/json": ("text/json", 400, 400), "text/plain": ("text/plain", 400, 400),
    "form": ("application/x-www-form-urlencoded", 400, 400),
    "multipart": ("multipart/form-data; boundary=x", 400, 400), "no media type": (";;=;", OK, 400),
    "xml type for JSON": ("application/xml", 400, 400),
}


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("name", sorted(CONTENT_TYPES))
def test_content_type_forms(style: str, name: str) -> None:
    ctype, want_a, want_b = CONTENT_TYPES[name]
    api = Api(style=style)
    _, _, raw = api.raw(GET, json.dumps(BASE), content_type=ctype)
    assert _verdict(json.loads(raw), want_a if style == "a" else want_b), raw
    assert api.app.unexpected == []


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("length", ["abc", "-1", "99999999999999999999", "1e3", " 12 ", "١٢"])
def test_content_length_that_is_not_a_size(style: str, length: str) -> None:
    api = Api(style=style)
    status, _, raw = api.raw(GET, json.dumps(BASE), CONTENT_LENGTH=length)
    assert status < 500 and json.loads(raw)["error"] == 400 and api.app.unexpected == []


# ------------------------------------------------------------------------------ identity (R5)

NEAR_EMAILS = ["ann@shop.tes", "ann@shop.testx", "ann@other.test", "ann@shop.test.evil", "anm@shop.test", "an@shop.test",
               "annn@shop.test", "xann@shop.test", "ann@@shop.test", " ann@shop.test", "ann@shop.test ", "ann", "@shop.test",
               "ann@", "ann@shop.test\u0000", "ann@shop.tеst", "ann@shop.te\u017ft",
               "ann.news@shop.tes", "ann@SHOP.TEST.", "ann%40shop.test"]
NEAR_PHONES = ["+155500000011", "+1555000000", "+15550000002", "15550000001", "+25550000001", "+15550000001 ", "+١٥٥٥٠٠٠٠٠٠١"]
NEAR_IDS = [ANN[:i] + ("b" if ANN[i] != "b" else "c") + ANN[i + 1:] for i in range(24)] + [
    ANN[:-1], ANN + "1", ANN.upper(), " " + ANN, ANN[:-1] + "g"]
NEAR_CARDS: list[Any] = [78, 76, 7, 770, -77, "78", "7", "077", "77 ", " 77", "+77", "77.0"]


def _found(api: Api, fields: dict[str, Any], path: str = GET) -> str | None:
    _, env = api.call(path, {"token": TOKEN, "rel_id": 9, **fields})
    if env["error"] != 0:
        assert env["error"] not in (401, 402, 403), env
        return None
    data = env["data"]
    if isinstance(data, list):
        return str(data[0]["profile_id_a"]) if data else ""
    return str(data["profile_id"])


@pytest.mark.parametrize("style", ["a", "b"])
def test_near_misses_never_find_the_profile(style: str) -> None:
    api = Api(style=style)
    rows = ([{"matching": m, "email": e} for m in ("email", "email_profile") for e in NEAR_EMAILS]
            + [{"matching": "phone", "phone": p} for p in NEAR_PHONES]
            + [{"matching": "profile_id", "profile_id": i} for i in NEAR_IDS]
            + [{"matching": "custom", "field_name": "CARD", "field_value": v} for v in NEAR_CARDS]
            + [{"matching": "custom", "field_name": n, "field_value": 77} for n in ("card", "CARD ", "CAR")]
            + [{"matching": "email", "email": "ann@shop.test", "resource_id": r} for r in (0, -5, 6, 99)]
            + [{"matching": "phone", "phone": "+15550000001", "resource_id": r} for r in (0, -1, 6)]
            + [{"profile_id": ANN, "resource_id": r} for r in (0, -1)])
    for path in (GET, COUNTER):
        assert _found(api, {"matching": "email", "email": "ann@shop.test"}, path) == ANN  # the exact ones do
        for fields in rows:
            assert _found(api, fields, path) != ANN, fields
        for rel in (0, -1, -9, 2**63):
            _, env = api.call(path, {**BASE, "rel_id": rel})
            assert env["error"] not in (0, 401, 402, 403), rel


@pytest.mark.parametrize("style", ["a", "b"])
def test_near_misses_never_find_the_profiles_a_write_names(style: str) -> None:
    api = Api(style=style)
    before = api.links()
    b4 = "bbbbbbbbbbbbbbbbbbbbbb04"
    sides = ([("profile_b", {"profile_id": b4[:i] + "c" + b4[i + 1:]}) for i in range(24)]
             + [("profile_b", {"email": e}) for e in ("b4@club.tes", "b4@club.testx", "b4@other.test", "xb4@club.test", "b@club.test")]
             + [("profile_a", {"profile_id": A[:i] + "c" + A[i + 1:]}) for i in range(24)]
             + [("profile_a", {"email": e}) for e in ("cat@shop.tes", "cat@other.test", "cats@shop.test", "ca@shop.test")]
             + [("profile_a", {"profile_id": A, "resource_id": r}) for r in (0, -1)])
    for side, obj in sides:
        body = {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": B4},
                "weights": {"Gift": 1}, side: obj}
        for op in ("strengthen", "edit", "attach"):
            _, env = api.call(PATH[op], body)
            assert env["error"] not in (0, 401, 402, 403), (side, obj, env)
    assert api.links() == before


@pytest.mark.parametrize("style", ["a", "b"])
def test_email_letter_case_is_free_style_a_ignores_it_style_b_does_not(style: str) -> None:
    api = Api(style=style)
    for email in ("ANN@SHOP.TEST", "Ann@Shop.Test", "ann.NEWS@shop.test"):
        assert (_found(api, {"matching": "email", "email": email}) == ANN) == (style == "a")
    assert _found(api, {"matching": "email", "email": "ANN@\u017fhop.test"}) is None  # a long s is not an s (ASCII case only)
    for side in ("profile_a", "profile_b"):  # the writes match their profiles the same way
        email = "CAT@shop.test" if side == "profile_a" else "B4@CLUB.test"
        body = {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": B4},
                "weights": {"Gift": 1}, side: {"email": email}}
        assert (api.call(PATH["edit"], body)[1]["error"] == 0) == (style == "a")


@settings(max_examples=300, deadline=None)
@given(style=st.sampled_from("ab"), path=st.sampled_from([GET, COUNTER, PATH["edit"], PATH["attach"]]),
       ctype=st.sampled_from(["application/json", "application/xml", "text/xml", None, "application/json; charset=utf-16"]),
       raw=st.one_of(st.binary(max_size=300), st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                     st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
                                  lambda i: st.lists(i, max_size=3) | st.dictionaries(st.text(max_size=5), i, max_size=3),
                                  max_leaves=10).map(lambda v: json.dumps(v).encode())))
def test_any_bytes_get_an_envelope(style: str, path: str, ctype: str | None, raw: bytes) -> None:
    api = Api(style=style)
    status, _, body = api.raw(path, raw, content_type=ctype)
    env = json.loads(body)
    assert status < 500 and env["error"] in (400, 401) and env["error_text"] and api.app.unexpected == []
