"""The independent implementation's writes refusing what they must (W7, S2, R4, R6: malformed and
random bodies answered with an envelope, changing nothing), its deliberate defects doing what they
say, its target files, and the suite against its relations/get."""

from __future__ import annotations

import json
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.independent import server as independent
from tests.independent import writes
from tests.independent.api import B4, B5, B6, INITIAL_A, PATH, TOKEN, UNKNOWN_B, A, Api, _xml_text, near

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
