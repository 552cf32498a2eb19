"""The independent implementation's writes (tests/independent/writes.py), tested on their own by
calling the WSGI app: every write in JSON and XML, the reads showing them, the free choices of each
style, every deliberate defect doing what it says, and malformed bodies answered with an envelope."""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from tests.independent import server as independent
from tests.independent import writes

TOKEN = independent.TOKEN
A = "aaaaaaaaaaaaaaaaaaaaaa03"  # [writes] profile_a
B4, B5, B6, B7 = (f"bbbbbbbbbbbbbbbbbbbbbb0{i}" for i in (4, 5, 6, 7))
UNKNOWN_B = "ffffffffffffffffffffff00"
PATH = {"strengthen": "/api/v1.1/relations/strengthen", "edit": "/api/v1.1/relations/edit",
        "detach": "/api/v1.1/relations/detach", "attach": writes.ATTACH_PATH}
INITIAL_A: dict[str, dict[str, Any]] = {B4: {"Gift": 3, "Visits": 1.5}, B5: {"Gift": 7, "Rank": 2}}


def _xml_text(name: str, v: Any) -> str:
    if isinstance(v, dict):
        return f"<{name}>" + "".join(_xml_text(k, i) for k, i in v.items()) + f"</{name}>"
    if isinstance(v, bool):
        v = "true" if v else "false"
    return f"<{name}>{v}</{name}>"


def _decode_xml(el: ET.Element) -> Any:
    children = list(el)
    if not children:
        text = (el.text or "").strip()
        if text in ("true", "false"):
            return text == "true"
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            return text
    out: dict[str, Any] = {}
    for c in children:
        v = _decode_xml(c)
        if c.tag in out:
            out[c.tag] = (out[c.tag] if isinstance(out[c.tag], list) else [out[c.tag]]) + [v]
        else:
            out[c.tag] = v
    return out


class Api:
    """One app (a fresh store) and the requests the tests send it."""

    def __init__(self, broken: str = "", style: str = "a") -> None:
        self.app = independent.make_app(broken, style, relations_get=True)
        self.client = Client(self.app)
        self.style = style

    def call(self, path: str, body: dict[str, Any] | bytes | str, send: str = "json", answer: str = "json",
             content_type: str | None = None) -> tuple[int, dict[str, Any]]:
        data: str | bytes
        if isinstance(body, dict):
            data = json.dumps(body) if send == "json" else "<xml>" + "".join(_xml_text(k, v) for k, v in body.items()) + "</xml>"
        else:
            data = body
        ctype = content_type or ("application/json" if send == "json" else "application/xml")
        r = self.client.post(path + ("?format=xml" if answer == "xml" else ""), data=data, content_type=ctype)
        assert r.status_code < 500, r.get_data(as_text=True)
        assert self.app.unexpected == []
        text = r.get_data(as_text=True)
        if answer == "xml":
            assert r.headers["Content-Type"].startswith("application/xml")
            env = _decode_xml(ET.fromstring(text))
            if env.get("error_text") == 0 or env.get("error_text") is None:
                env["error_text"] = ""  # an empty <error_text/> is the empty string
            return r.status_code, env
        assert r.headers["Content-Type"].startswith("application/json")
        env = json.loads(text)
        assert isinstance(env["error"], int) and isinstance(env["error_text"], str), env
        return r.status_code, env

    def write(self, op: str, b: str = B4, weights: dict[str, Any] | None = None, send: str = "json",
              answer: str = "json", **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": b}}
        if weights is not None:
            body["weights"] = weights
        body.update(extra)
        return self.call(PATH[op], body, send, answer)[1]

    def links(self, a: str = A, answer: str = "json") -> dict[str, dict[str, Any]]:
        _, env = self.call("/api/v1.1/relations/get", {"token": TOKEN, "rel_id": 9, "profile_id": a}, answer=answer)
        assert env["error"] == 0, env
        data = env["data"]
        if answer == "xml":
            data = [] if data == "" else (data if isinstance(data, list) else [data])
        assert env["total_count"] == len(data)
        return {link["profile_id_b"]: {k: v["value"] for k, v in (link["props"] or {}).items()} for link in data}

    def counter(self, a: str = A) -> dict[str, Any]:
        _, env = self.call("/api/v1.1/relations/get_counter", {"token": TOKEN, "rel_id": 9, "profile_id": a})
        assert env["error"] == 0, env
        return dict(env["data"])


def success_text(style: str) -> str:
    return "" if style == "b" else "Successful operation"


def near(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> bool:
    if a.keys() != b.keys() or any(a[k].keys() != b[k].keys() for k in a):
        return False
    return all(v == b[k][p] if isinstance(v, bool) else abs(v - b[k][p]) <= 1e-9 * max(1, abs(v))
               for k in a for p, v in a[k].items())


# ------------------------------------------------------------------------- the answers (W1, W2)

@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("send", ["json", "xml"])
@pytest.mark.parametrize("answer", ["json", "xml"])
@pytest.mark.parametrize("op", ["strengthen", "edit", "detach", "attach"])
def test_every_write_in_json_and_xml_answers_w1(style: str, send: str, answer: str, op: str) -> None:
    api = Api(style=style)
    b = B6 if op == "attach" else B4
    weights = None if op == "detach" else {"Gift": 2}
    env = api.write(op, b, weights, send, answer)
    assert env["error"] == 0 and env["error_text"] == success_text(style), env
    assert env["profile_a"] == A and env["profile_b"] == b and env["relation_id"] == 9
    links = api.links()
    expected = {"strengthen": 5, "edit": 2, "attach": 2}.get(op)
    assert (b in links) == (op != "detach") and (expected is None or links[b]["Gift"] == expected)


@pytest.mark.parametrize("style", ["a", "b"])
def test_xml_nested_objects_matching_inside_the_objects_and_inherited(style: str) -> None:
    api = Api(style=style)
    body = (f"<?xml version='1.0'?><xml><token>{TOKEN}</token><rel_id>9</rel_id><matching>email</matching>"
            "<profile_a><email>cat@shop.test</email></profile_a>"
            f"<profile_b><matching>profile_id</matching><profile_id>{B7}</profile_id></profile_b>"
            "<weights><Like>2</Like><Visits>0.25</Visits><Online>true</Online></weights></xml>")
    _, env = api.call(PATH["edit"], body, send="xml")
    assert env["error"] == 0 and env["profile_a"] == A and env["profile_b"] == B7, env
    assert api.links()[B7] == {"Like": 2, "Visits": 0.25, "Online": True}
    _, env = api.call(PATH["strengthen"], {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A},
                                                "profile_b": {"email": "b7@club.test"}, "weights": {"Like": -2}})
    assert env["error"] == 0 and env["profile_b"] == B7
    assert ("Like" in api.links()[B7]) == (style == "b")  # 0: removed in style a, kept in style b


def test_the_documented_attach_guess_is_not_this_servers_path() -> None:
    status, env = Api().call("/api/v1.1/relations/attach", {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A},
                                                           "profile_b": {"profile_id": B6}})
    assert status == 404 and env["error"] == 404
    assert writes.ATTACH_PATH != "/api/v1.1/relations/attach"


def test_token_in_the_header_and_missing() -> None:
    api = Api()
    r = api.client.post(PATH["edit"], json={"rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": B4},
                                            "weights": {"Gift": 1}}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert json.loads(r.get_data())["error"] == 0 and api.links()[B4]["Gift"] == 1
    for token in (None, "", "wrong"):
        body = {"rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": B4}, "weights": {"Gift": 50}}
        if token is not None:
            body["token"] = token
        assert api.call(PATH["edit"], body)[1]["error"] == 401
    assert api.links()[B4]["Gift"] == 1


# ------------------------------------------------------------------------ semantics (W3-W8)

@pytest.mark.parametrize("style", ["a", "b"])
def test_edit_replaces_and_creates_and_is_idempotent(style: str) -> None:
    api = Api(style=style)
    api.write("edit", B4, {"Gift": 11, "New": False})
    once = api.links()
    assert once[B4] == {"Gift": 11, "Visits": 1.5, "New": False}
    api.write("edit", B4, {"Gift": 11, "New": False})
    assert api.links() == once  # W8
    api.write("edit", B6, {"Visits": 4})
    assert api.links()[B6] == {"Visits": 4}


@pytest.mark.parametrize("style", ["a", "b"])
def test_strengthen_adds_lowers_starts_from_zero_and_creates(style: str) -> None:
    api = Api(style=style)
    api.write("strengthen", B4, {"Gift": 2, "Visits": -0.5, "Fresh": 3, "Flag": True})
    assert api.links()[B4] == {"Gift": 5, "Visits": 1.0, "Fresh": 3, "Flag": True}
    api.write("strengthen", B6, {"Gift": 1.25})
    assert api.links()[B6] == {"Gift": 1.25}
    _, env = api.call(PATH["strengthen"], {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A},
                                                "profile_b": {"profile_id": B4}, "weights": {"Flag": 1}})
    assert env["error"] == 400  # a number added to a boolean
    before = api.links()
    api.write("strengthen", B4, {"Gift": 0.1, "Visits": 7})
    api.write("strengthen", B4, {"Gift": -0.1, "Visits": -7})
    assert near(api.links(), before)  # W8


@pytest.mark.parametrize("style", ["a", "b"])
def test_numbers_are_doubles_in_style_a_and_exact_decimals_in_style_b(style: str) -> None:
    api = Api(style=style)
    api.write("edit", B6, {"Gift": 0.1})
    api.write("strengthen", B6, {"Gift": 0.2})
    value = api.app.store.links[9][A][B6]["Gift"]
    if style == "b":
        assert value == Decimal("0.3") and api.links()[B6]["Gift"] == 0.3
    else:
        assert isinstance(value, float) and value == 0.1 + 0.2 and api.links()[B6]["Gift"] != 0.3


@pytest.mark.parametrize("style", ["a", "b"])
def test_a_value_that_reaches_zero(style: str) -> None:
    api = Api(style=style)
    api.write("strengthen", B5, {"Rank": -2})
    props = api.counter()["props"]
    if style == "b":
        assert api.links()[B5]["Rank"] == 0 and props["Rank"]["total"] == 1
    else:
        assert "Rank" not in api.links()[B5] and "Rank" not in props
    api.write("edit", B5, {"Rank": 0})  # edit sets 0 in both styles
    assert api.links()[B5]["Rank"] == 0


@pytest.mark.parametrize("style", ["a", "b"])
def test_detach_removes_and_a_missing_link(style: str) -> None:
    api = Api(style=style)
    env = api.write("detach", B5)
    assert env["error"] == 0 and B5 not in api.links()
    assert "Rank" not in api.counter()["props"] and api.counter()["total"] == 1
    env = api.write("detach", B6)  # never linked
    assert (env["error"], env["error_text"]) == ((0, "") if style == "b" else (404, "no link between these profiles"))
    env = api.write("detach", B4, weights={"Gift": 1})
    assert env["error"] == (0 if style == "b" else 400)
    assert (B4 in api.links()) == (style == "a")
    api.write("detach", B4)
    assert api.links() == {} and api.counter()["props"] == {} and api.counter()["total"] == 0


@pytest.mark.parametrize("style", ["a", "b"])
def test_attach_creates_with_weights_and_on_an_existing_link(style: str) -> None:
    api = Api(style=style)
    api.write("attach", B6, {"Gift": 9, "Visits": 1})
    assert api.links()[B6] == {"Gift": 9, "Visits": 1}
    env = api.write("attach", B4, {"Gift": 9})
    assert env["error"] == (0 if style == "b" else 409)
    assert api.links()[B4]["Gift"] == (9 if style == "b" else 3)
    assert api.write("attach", B7)["error"] == 0 and api.links()[B7] == {}  # weights are optional on attach


@pytest.mark.parametrize("style", ["a", "b"])
def test_empty_weights(style: str) -> None:
    api = Api(style=style)
    for op in ("edit", "strengthen"):
        env = api.write(op, B6, {})
        assert env["error"] == (0 if style == "b" else 400)
    assert (B6 in api.links()) == (style == "b")


@pytest.mark.parametrize("style", ["a", "b"])
def test_the_reads_show_the_writes(style: str) -> None:
    api = Api(style=style)
    api.write("edit", B6, {"Gift": 20, "Visits": 0.5})
    api.write("strengthen", B4, {"Visits": 1})
    for answer in ("json", "xml"):
        assert near(api.links(answer=answer), {B4: {"Gift": 3, "Visits": 2.5}, B5: {"Gift": 7, "Rank": 2},
                                               B6: {"Gift": 20, "Visits": 0.5}})
    data = api.counter()
    assert data["total"] == 3
    assert data["props"]["Gift"]["total"] == 3
    assert [(t["profile_id"], t["value"]) for t in data["props"]["Gift"]["top"]] == [(B6, 20), (B5, 7), (B4, 3)]
    assert data["props"]["Visits"]["sum"] == 3.0 and data["props"]["Visits"]["total"] == 2


@pytest.mark.parametrize("style", ["a", "b"])
def test_each_app_has_a_fresh_store_and_the_data_profiles_are_untouched(style: str) -> None:
    api = Api(style=style)
    before = {p: api.counter(p) for p in ("aaaaaaaaaaaaaaaaaaaaaa01", "aaaaaaaaaaaaaaaaaaaaaa02")}
    api.write("edit", B4, {"Gift": 100})
    api.write("detach", B5)
    assert near(Api(style=style).links(), INITIAL_A) and independent.LINKS[A][1] == (B5, {"Gift": 7, "Rank": 2})
    for p, data in before.items():
        after = api.counter(p)
        data.pop("generated_at", None)
        after.pop("generated_at", None)
        assert after == data
    expected = independent._data(independent.PEOPLE[0], "", style)
    expected.pop("generated_at", None)
    assert before["aaaaaaaaaaaaaaaaaaaaaa01"] == json.loads(json.dumps(writes.plain(expected)))


# ------------------------------------------------ a model of the writes against the reads (S1)

def _predict(model: dict[str, dict[str, Any]], op: str, b: str, weights: dict[str, Any], style: str) -> int:
    """Apply one write to ``model`` as this server's free choices say; the error code it expects."""
    if op != "detach" and not weights and style == "a":
        return 400
    if op == "detach":
        if b not in model:
            return 0 if style == "b" else 404
        del model[b]
        return 0
    if op == "attach" and b in model and style == "a":
        return 409
    link = dict(model.get(b, {}))
    for name, w in weights.items():
        if op in ("edit", "attach") or isinstance(w, bool):
            link[name] = w
        elif isinstance(link.get(name), bool):
            return 400
        elif link.get(name, 0) + w == 0 and style == "a":
            link.pop(name, None)
        else:
            link[name] = link.get(name, 0) + w
    model[b] = link
    return 0


def _consistent(counter: dict[str, Any], links: dict[str, dict[str, Any]]) -> None:
    """C1-C4 between get_counter's data and relations/get's links."""
    assert counter["total"] == len(links)
    names = {n for props in links.values() for n in props}
    assert set(counter["props"]) == names
    for name, prop in counter["props"].items():
        carrying = {b: props[name] for b, props in links.items() if name in props}
        assert prop["total"] == len(carrying)
        if prop["sum"] is not None:
            assert abs(prop["sum"] - sum(carrying.values())) <= 1e-9 * max(1, abs(prop["sum"]))
        if prop["top"]:
            for item in prop["top"]:
                assert abs(carrying[item["profile_id"]] - item["value"]) <= 1e-9 * max(1, abs(item["value"]))
            shown = {item["profile_id"] for item in prop["top"]}
            smallest = min(item["value"] for item in prop["top"])
            assert all(v <= smallest for b, v in carrying.items() if b not in shown)


WEIGHT = st.sampled_from([-3, -1, -0.5, 0.25, 1, 2, 7.5, True, False])
WRITE = st.tuples(st.sampled_from(sorted(PATH)), st.sampled_from([B4, B5, B6, B7]),
                  st.dictionaries(st.sampled_from(["Gift", "Visits", "Rank", "Fan"]), WEIGHT, max_size=3),
                  st.sampled_from(["json", "xml"]))


@settings(max_examples=150, deadline=None)
@given(style=st.sampled_from("ab"), steps=st.lists(WRITE, max_size=12))
def test_the_reads_show_exactly_what_a_model_of_the_writes_predicts(style: str,
                                                                    steps: list[tuple[str, str, dict[str, Any], str]]) -> None:
    api = Api(style=style)
    model = {b: dict(props) for b, props in INITIAL_A.items()}
    for op, b, weights, send in steps:
        expected = _predict(model, op, b, weights, style)
        env = api.write(op, b, None if op == "detach" else weights, send)
        assert env["error"] == expected, (op, b, weights, env)
        links = api.links(answer=send)
        assert near(links, model), (links, model)
        _consistent(api.counter(), links)


# --------------------------------------------------------- errors change nothing (W7, S2, R4, R6)

def _base(op: str) -> dict[str, Any]:
    body: dict[str, Any] = {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": B4}}
    if op != "detach":
        body["weights"] = {"Gift": 1}
    return body


def _without(key: str) -> Any:
    return lambda b: {k: v for k, v in b.items() if k != key}


def _with(**changes: Any) -> Any:
    return lambda b: {**b, **changes}


BAD_BODIES = {  # name: (change to a valid body, error code)
    "no rel_id": (_without("rel_id"), 400), "rel_id string": (_with(rel_id="9"), 400),
    "rel_id float": (_with(rel_id=9.5), 400), "rel_id null": (_with(rel_id=None), 400),
    "rel_id unknown": (_with(rel_id=424242), 422),
    "no profile_a": (_without("profile_a"), 400), "no profile_b": (_without("profile_b"), 400),
    "profile_b null": (_with(profile_b=None), 400), "profile_b a string": (_with(profile_b=B4), 400),
    "profile_b a list": (_with(profile_b=[B4]), 400), "profile_b empty": (_with(profile_b={}), 400),
    "profile_b id a number": (_with(profile_b={"profile_id": 4}), 400),
    "profile_b unknown": (_with(profile_b={"profile_id": UNKNOWN_B}), 404),
    "profile_a unknown": (_with(profile_a={"profile_id": "ffffffffffffffffffffff01"}), 404),
    "profile_a a B profile": (_with(profile_a={"profile_id": B4}), 404),
    "matching unknown": (_with(matching="email_sub"), 400), "matching a list": (_with(matching=["email"]), 400),
    "matching inside wrong": (_with(profile_b={"profile_id": B4, "matching": {}}), 400),
    "email needed": (_with(profile_b={"profile_id": B4, "matching": "email"}), 400),
    "resource_id string": (_with(resource_id="5"), 400), "field_value list": (_with(field_value=[1]), 400),
    "top-level email number": (_with(email=5), 400),
}
WEIGHT_FAULTS = {
    "weights missing": (_without("weights"), 400), "weights a list": (_with(weights=[1]), 400),
    "weights a number": (_with(weights=3), 400), "weight a string": (_with(weights={"Gift": "2"}), 400),
    "weight null": (_with(weights={"Gift": None}), 400), "weight an object": (_with(weights={"Gift": {"v": 1}}), 400),
    "weight huge": (_with(weights={"Gift": 10**400}), 400), "weight 1e301": (_with(weights={"Gift": 1e301}), 400),
    "later weight bad": (_with(weights={"Gift": 1, "Visits": 2, "Zed": "x"}), 400),
    "name with a space": (_with(weights={"Gi ft": 1}), 400), "name empty": (_with(weights={"": 1}), 400),
    "name xml": (_with(weights={"xmlGift": 1}), 400),
    "too many weights": (_with(weights={f"P{i}": 1 for i in range(101)}), 400),
}


FAULTS = [(op, fault) for op in PATH for fault in [*BAD_BODIES, *WEIGHT_FAULTS]
          if not (fault in WEIGHT_FAULTS and op == "detach")  # detach takes no weights
          and not (fault == "weights missing" and op == "attach")]  # optional on attach


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize(("op", "fault"), FAULTS)
def test_a_failed_write_is_an_envelope_and_changes_nothing(style: str, op: str, fault: str) -> None:
    change, code = {**BAD_BODIES, **WEIGHT_FAULTS}[fault]
    api = Api(style=style)
    before = api.links()
    status, env = api.call(PATH[op], change(_base(op)))
    assert env["error"] == code and env["error_text"], env
    assert status in (200, code)
    assert api.links() == before and api.counter()["total"] == 2


MALFORMED = [
    (b"", "application/json"), (b"{", "application/json"), (b"[]", "application/json"), (b"null", "application/json"),
    (b'"x"', "application/json"), (b"\xff\xfe", "application/json"), (b"[" * 100000, "application/json"),
    (b'{"weights": {"Gift": NaN}}', "application/json"), (b'{"rel_id": 1e999}', "application/json"),
    (b"{}", "text/plain"), (b"", "application/xml"), (b"<xml>", "application/xml"), (b"<notxml/>", "application/xml"),
    (b"<xml/>", "application/xml"), (b"<xml>text</xml>", "application/xml"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><token>&a;</token></xml>', "application/xml"),
    (b"<xml>" + b"<a>" * 200 + b"</a>" * 200 + b"</xml>", "application/xml"),
    (b"<xml><rel_id>9</rel_id><rel_id>9</rel_id></xml>", "application/xml"),
    (b"<xml><profile_a><profile_id>x</profile_id></profile_a><profile_a/></xml>", "application/xml"),
]


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("op", ["strengthen", "edit", "detach", "attach"])
@pytest.mark.parametrize(("raw", "ctype"), MALFORMED)
def test_a_malformed_body_gets_an_envelope(style: str, op: str, raw: bytes, ctype: str) -> None:
    api = Api(style=style)
    status, env = api.call(PATH[op], raw, content_type=ctype)
    assert env["error"] in (400, 401) and env["error_text"] and not env.get("data"), env
    assert status in (200, env["error"])


XML_FAULTS = [
    "<weights><Gift>two</Gift></weights>", "<weights><Gift>1e999</Gift></weights>", "<weights><Gift>NaN</Gift></weights>",
    "<weights><Gift><v>1</v></Gift></weights>", "<weights><Gift>1</Gift><Gift>2</Gift></weights>", "<weights/>",
    "<weights>3</weights>",
]


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("weights", XML_FAULTS)
def test_bad_xml_weights_are_400_and_change_nothing(style: str, weights: str) -> None:
    api = Api(style=style)
    body = (f"<xml><token>{TOKEN}</token><rel_id>9</rel_id><profile_a><profile_id>{A}</profile_id></profile_a>"
            f"<profile_b><profile_id>{B4}</profile_id></profile_b>{weights}</xml>")
    _, env = api.call(PATH["strengthen"], body, send="xml")
    if weights == "<weights/>" and style == "b":
        assert env["error"] == 0  # empty weights accepted in style b
    else:
        assert env["error"] == 400, env
    assert near(api.links(), INITIAL_A)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
                          | st.sampled_from([A, B4, UNKNOWN_B, "email", "custom", "CARD", "Gift", 9]),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                              st.sampled_from(["profile_id", "email", "matching", "Gift", "x y", "resource_id",
                                               "field_name", "field_value"]), inner, max_size=3), max_leaves=8)
FIELDS = st.sampled_from(["token", "rel_id", "profile_a", "profile_b", "weights", "matching", "resource_id",
                          "profile_id", "email", "field_value"])


@settings(max_examples=300, deadline=None)
@given(op=st.sampled_from(sorted(PATH)), style=st.sampled_from("ab"), send=st.sampled_from(["json", "xml"]),
       changes=st.dictionaries(FIELDS, JSON_VALUES, max_size=4), dropped=st.sets(FIELDS, max_size=2))
def test_random_bodies_get_an_envelope_and_a_failure_changes_nothing(op: str, style: str, send: str,
                                                                     changes: dict[str, Any], dropped: set[str]) -> None:
    api = Api(style=style)
    body = {k: v for k, v in {**_base(op), **changes}.items() if k not in dropped}
    if send == "xml":
        try:
            ET.fromstring("<xml>" + "".join(_xml_text(k, v) for k, v in body.items()) + "</xml>")
        except ET.ParseError:
            send = "json"  # a body that is no XML (say a text with "<") goes as JSON
    status, env = api.call(PATH[op], body, send)
    assert status in (200, env["error"])
    if env["error"] != 0:
        assert env["error_text"] and near(api.links(), INITIAL_A)


@pytest.mark.parametrize("style", ["a", "b"])
def test_other_methods_and_paths_are_envelopes(style: str) -> None:
    api = Api(style=style)
    r = api.client.get(PATH["edit"])
    assert json.loads(r.get_data())["error"] == 400
    r = api.client.post("/api/v1.1/relations/weaken", json=_base("edit"))
    assert r.status_code == 404 and json.loads(r.get_data())["error"] == 404


# ------------------------------------------------------------------------------------ defects

def _defect_shows(api: Api, name: str) -> None:
    """Assert that the defect ``name`` does what WRITE_DEFECTS says."""
    if name == "write_answer_missing_profile_b":
        env = api.write("edit", B4, {"Gift": 1})
        assert env["error"] == 0 and "profile_b" not in env and env["profile_a"] == A
    elif name == "relation_id_wrong":
        assert api.write("strengthen", B4, {"Gift": 1})["relation_id"] == 10
    elif name == "edit_adds":
        api.write("edit", B4, {"Gift": 5})
        assert api.links()[B4]["Gift"] == 8
    elif name == "strengthen_replaces":
        api.write("strengthen", B4, {"Gift": 5})
        assert api.links()[B4]["Gift"] == 5
    elif name == "detach_noop":
        assert api.write("detach", B4)["error"] == 0 and B4 in api.links()
    elif name == "attach_without_weights":
        assert api.write("attach", B6, {"Gift": 5})["error"] == 0 and api.links()[B6] == {}
    elif name == "half_applied_write":
        env = api.write("strengthen", B4, {"Gift": 1, "Zed": "x"})
        assert env["error"] == 400 and api.links()[B4]["Gift"] == 4
        env = api.write("edit", B6, {"Gift": 1, "Zed": None})
        assert env["error"] == 400 and api.links()[B6] == {"Gift": 1}
    elif name == "counter_stale_after_write":
        api.write("edit", B6, {"Gift": 50})
        assert B6 in api.links() and api.counter()["total"] == 2
        assert [t["profile_id"] for t in api.counter()["props"]["Gift"]["top"]] == [B5, B4]
    elif name == "unknown_profile_b_accepted":
        env = api.write("edit", UNKNOWN_B, {"Gift": 1})
        assert env["error"] == 0 and UNKNOWN_B in api.links()
    elif name == "unknown_rel_id_accepted":
        env = api.write("edit", B6, {"Gift": 1}, rel_id=424242)
        assert env["error"] == 0 and env["relation_id"] == 424242 and B6 in api.links()
    else:
        raise AssertionError(f"no test for the defect {name}")


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("name", sorted(independent.WRITE_DEFECTS))
def test_each_write_defect_does_what_it_says(style: str, name: str) -> None:
    _defect_shows(Api(name, style), name)
    with pytest.raises(AssertionError):  # and the correct server does not
        _defect_shows(Api("", style), name)


def test_the_defects_name_write_and_state_clauses() -> None:
    assert set(independent.WRITE_DEFECTS.values()) == {"W1", "W2", "W3", "W4", "W5", "W6", "W7", "S1", "S2"}
    assert not set(independent.WRITE_DEFECTS) & set(independent.READ_DEFECTS)


# ---------------------------------------------------------------------------- the target files

@pytest.mark.parametrize("text", [independent.TARGET_WRITES, independent.TARGET_B_WRITES])
def test_the_writes_tables_name_this_servers_data(text: str) -> None:
    target = tomllib.loads(text.format(base_url="http://127.0.0.1:1"))
    w = target["writes"]
    assert w["rel_id"] == independent.REL_ID and target["endpoints"]["attach"] == writes.ATTACH_PATH
    assert w["profile_a"] not in {p["profile_id"] for p in target["data"]["profiles"]}
    seeded = dict(independent.LINKS[w["profile_a"]])
    assert any(set(props) - set(w["properties"]) for props in seeded.values())  # a property not written
    b_ids = {p["id"] for p in independent.B_PEOPLE}
    assert set(w["profiles_b"]) <= b_ids
    assert any(b in seeded for b in w["profiles_b"]) and any(b not in seeded for b in w["profiles_b"])
    assert not any(b in dict(links) for links in independent.LINKS.values() for b in w["profiles_b"] if b not in seeded)


# ------------------------------------------------------------- the suite against relations/get

@pytest.mark.parametrize("style", ["a", "b"])
def test_the_suite_passes_the_independent_relations_get(tmp_path: Path, style: str) -> None:
    from altcraft_contract.reference.server import LoopbackServer
    from tests.suite import run_suite

    with LoopbackServer(independent.make_app("", style, relations_get=True)) as srv:
        target = tmp_path / "independent.toml"
        text = independent.TARGET_B if style == "b" else independent.TARGET
        target.write_text(text.format(base_url=srv.base_url), encoding="utf-8")
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), env={"INDEPENDENT_TOKEN": TOKEN})
    assert proc.returncode == 0, proc.stdout[-6000:]
    assert "/api/v1.1/relations/get            checked" in proc.stdout and "G6       passed" in proc.stdout
