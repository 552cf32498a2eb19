"""The reference endpoint's writes: each operation in JSON and XML, the refusals (R4, R5), atomicity
(W7), the reads showing the writes, the free choices (variants), and no crash on malformed bodies."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import Client

from altcraft_contract import endpoints
from altcraft_contract.contract import schemas, xsd
from altcraft_contract.reference import data, server
from altcraft_contract.reference.app import ReferenceApp
from altcraft_contract.reference.render import Style
from altcraft_contract.reference.store import Store
from altcraft_contract.wire import xmlcodec

TOKEN = "ref-token"
A5, B1, B2, B3, B4 = data.A5, data._b(0xe01), data._b(0xe02), data._b(0xe03), data._b(0xe04)
BASE = "/api/v1.1/relations/"


def _app(style: Style | None = None, fault: str = "none") -> ReferenceApp:
    return server.make_app(style=style, fault=fault, tokens=frozenset({TOKEN}))


def post(app: ReferenceApp, op: str, body: dict[str, Any], query: str = "") -> dict[str, Any]:
    resp = Client(app).post(BASE + op + query, json={"token": TOKEN, **body})
    assert resp.status_code in (200, 400, 401, 403, 404)
    doc: dict[str, Any] = json.loads(resp.get_data())
    return doc


def write(app: ReferenceApp, op: str, b: str = B1, a: str = A5, rel_id: int = 3, **weights: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"rel_id": rel_id, "profile_a": {"profile_id": a}, "profile_b": {"profile_id": b}}
    if op != "detach":
        body["weights"] = weights
    return post(app, op, body)


def links(app: ReferenceApp, a: str = A5) -> dict[str, dict[str, Any]]:
    """relations/get's links of ``a``: B profile -> {property: value}."""
    env = post(app, "get", {"rel_id": 3, "profile_id": a})
    return {x["profile_id_b"]: {k: v["value"] for k, v in x["props"].items()} for x in env["data"]}


def counter(app: ReferenceApp, a: str = A5) -> dict[str, Any]:
    data_: dict[str, Any] = post(app, "get_counter", {"rel_id": 3, "profile_id": a})["data"]
    return data_


def ok(env: dict[str, Any], b: str = B1, rel_id: int = 3) -> bool:
    return env == {"error": 0, "error_text": "", "profile_a": A5, "profile_b": b, "relation_id": rel_id}


# --- the data, the registry, the store ---------------------------------------------------------------

def test_the_write_profile_is_found_but_not_a_read_scenario_s_profile() -> None:
    assert A5 not in {p["profile_id"] for p in data.target_profiles()}
    assert data.writes_table() == {"rel_id": 3, "profile_a": A5, "profiles_b": [B1, B2, B3], "properties": ["Donate", "Like"]}
    assert {B1, B2, B3, B4} <= data.B_PROFILES and B3 not in {x.b_profile_id for x in data.LINKS}
    assert links(_app()) == {B1: {"Donate": 5, "Like": 2}, B2: {"Donate": 12.5, "Subscriber": True}}


def test_write_paths_are_known_to_the_registry_but_not_read_endpoints() -> None:
    for name in ("strengthen", "edit", "detach", "attach"):
        assert endpoints.by_path(BASE + name + "/").name == name and endpoints.get(name).path == BASE + name
    assert list(endpoints.READS) == ["get_counter", "get"]


def test_the_openapi_document_has_the_writes_and_the_schemathesis_module_leaves_them_out() -> None:
    from altcraft_contract.frontends import st_checks
    doc = json.loads((schemas.SCHEMA_DIR / "openapi.json").read_text("utf-8"))
    assert {BASE + n for n in ("strengthen", "edit", "detach", "attach")} <= set(doc["paths"])
    assert doc["paths"][BASE + "attach"]["post"]["x-published"] is False
    paths = {op.ok().path for op in st_checks.load_schema().get_all_operations()}
    assert paths == {endpoints.get(n).path for n in endpoints.READS}  # the writes are never fuzzed (S3)


def test_snapshot_is_equal_after_a_write_and_its_inverse() -> None:
    app = _app()
    before = app.store.snapshot()
    assert ok(write(app, "strengthen", Like=3, Donate=-1.5))
    assert app.store.snapshot() != before
    assert ok(write(app, "strengthen", Like=-3, Donate=1.5))
    assert app.store.snapshot() == before
    assert ok(write(app, "detach", B2), B2) and ok(write(app, "attach", B2, Donate=12.5, Subscriber=True), B2)
    assert app.store.snapshot() == before  # the order of links is not part of the snapshot
    app.store.strengthen(3, A5, B1, {"Like": 1})
    app.store.reset()
    assert app.store.snapshot() == before == _app().store.snapshot()


def test_each_app_has_its_own_store_and_the_seed_is_never_changed() -> None:
    one, two = _app(), _app()
    write(one, "detach")
    assert B1 not in links(one) and B1 in links(two)
    assert data.LINKS[-2].values == {"Donate": 5, "Like": 2}


def test_concurrent_writes_are_not_lost() -> None:
    store = Store()
    def bump() -> None:
        for _ in range(200):
            store.strengthen(3, A5, B3, {"Like": 1})
    threads = [threading.Thread(target=bump) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert store.snapshot()[(3, A5, B3)] == {"Like": 1600}


# --- the operations ---------------------------------------------------------------------------------

def test_edit_replaces_the_named_properties_and_creates_a_missing_link() -> None:
    app = _app()
    assert ok(write(app, "edit", Like=7, Gift=True))
    assert ok(write(app, "edit", B3, Donate=1), B3)
    assert links(app)[B1] == {"Donate": 5, "Like": 7, "Gift": True} and links(app)[B3] == {"Donate": 1}
    props = counter(app)["props"]
    assert props["Like"] == {"total": 1, "top": None, "sum": 7}  # a name the relation does not configure: kind none
    assert props["Gift"] == {"total": 1, "top": None, "sum": None} and counter(app)["total"] == 3


def test_strengthen_adds_starts_missing_properties_at_0_and_creates_links() -> None:
    app = _app()
    assert ok(write(app, "strengthen", Like=-5, Donate=2.5))
    assert ok(write(app, "strengthen", B3, Like=4), B3)
    assert links(app)[B1] == {"Donate": 7.5, "Like": -3} and links(app)[B3] == {"Like": 4}
    assert counter(app)["props"]["Like"]["sum"] == 1


def test_detach_removes_the_link_from_both_reads() -> None:
    app = _app()
    assert ok(write(app, "detach", B2), B2)
    assert set(links(app)) == {B1} and counter(app)["total"] == 1 and "Subscriber" not in counter(app)["props"]
    assert ok(write(app, "detach", B2), B2)  # a missing link: success by default (free)


def test_attach_creates_with_the_weights_and_acts_like_edit_on_an_existing_link() -> None:
    app = _app()
    assert ok(write(app, "attach", B4, Like=1), B4) and links(app)[B4] == {"Like": 1}
    assert ok(write(app, "attach", B1, Like=9)) and links(app)[B1] == {"Donate": 5, "Like": 9}


def test_a_strengthened_zero_stays_listed_and_get_counter_leaves_it_out_by_default() -> None:
    app = _app()
    write(app, "strengthen", Like=-2)
    assert links(app)[B1] == {"Donate": 5, "Like": 0} and "Like" not in counter(app)["props"]


def test_other_profiles_are_matched_by_the_outer_matching_and_their_answers_name_ids() -> None:
    app = _app()
    env = post(app, "edit", {"rel_id": 3, "matching": "email", "profile_a": {"email": "oleg@example.com"},
                             "profile_b": {"email": "b@example.com"}, "weights": {"Like": 1}})
    assert env["error"] == 404  # Database B profiles are found by id only
    env = post(app, "edit", {"rel_id": 3, "profile_a": {"email": "oleg@example.com"},
                             "profile_b": {"profile_id": B4}, "weights": {"Like": 1}})
    assert env["profile_a"] == data.A3 and env["profile_b"] == B4


def test_the_token_may_travel_in_the_bearer_header_and_is_checked() -> None:
    body = {"rel_id": 3, "profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1}, "weights": {"Like": 1}}
    app = _app()
    resp = Client(app).post(BASE + "edit", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert json.loads(resp.get_data())["error"] == 0
    assert json.loads(Client(app).post(BASE + "edit", json=body).get_data())["error"] == 401
    assert json.loads(Client(app).post(BASE + "edit", json={**body, "token": "nope"}).get_data())["error"] == 403


# --- the answers in JSON and XML ------------------------------------------------------------------------

XML_EDIT = (f"<xml><token>{TOKEN}</token><rel_id>3</rel_id><profile_a><profile_id>{A5}</profile_id></profile_a>"
            f"<profile_b><profile_id>{B3}</profile_id></profile_b>"
            "<weights><Like>2</Like><Donate>-1.5</Donate><Gift>true</Gift></weights></xml>")


@pytest.mark.parametrize("op", ["strengthen", "edit", "detach", "attach"])
@pytest.mark.parametrize("answer", ["json", "xml"])
def test_every_write_answers_w1_in_json_and_xml(op: str, answer: str) -> None:
    app = _app()
    body = {"token": TOKEN, "rel_id": 3, "profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1},
            "weights": {"Like": 1}, "format": answer}
    resp = Client(app).post(BASE + op, json=body)
    raw = resp.get_data()
    env = xmlcodec.decode_response(raw, BASE + op) if answer == "xml" else json.loads(raw)
    assert ok(env) and list(schemas.violations("write-success", env, "W1")) == []
    if answer == "xml":
        assert b"<error_text/>" in raw and xsd.schema("write-response").is_valid(xmlcodec.parse(raw))
        assert resp.headers["Content-Type"].startswith("application/xml")


@pytest.mark.parametrize("op", ["edit", "attach"])
def test_an_xml_request_with_nested_objects_is_read_typed(op: str) -> None:
    app = _app()
    resp = Client(app).post(BASE + op, data=XML_EDIT.encode(), content_type="application/xml")
    assert ok(json.loads(resp.get_data()), B3)
    assert links(app)[B3] == {"Like": 2, "Donate": -1.5, "Gift": True}


def test_an_xml_strengthen_with_a_boolean_weight_is_refused() -> None:
    app = _app()
    resp = Client(app).post(BASE + "strengthen", data=XML_EDIT.encode(), content_type="application/xml")
    assert json.loads(resp.get_data())["error"] == 400 and B3 not in links(app)


def test_an_xml_strengthen_with_numbers_only_adds_them() -> None:
    app = _app()
    body = XML_EDIT.replace(B3, B1).replace("<Gift>true</Gift>", "")
    assert ok(json.loads(Client(app).post(BASE + "strengthen", data=body.encode(), content_type="text/xml").get_data()))
    assert links(app)[B1] == {"Donate": 3.5, "Like": 4}


def test_an_xml_detach_removes_the_link() -> None:
    body = (f"<xml><token>{TOKEN}</token><rel_id>3</rel_id><profile_a><profile_id>{A5}</profile_id></profile_a>"
            f"<profile_b><profile_id>{B2}</profile_id></profile_b></xml>")
    app = _app()
    assert ok(json.loads(Client(app).post(BASE + "detach", data=body.encode(), content_type="application/xml").get_data()), B2)
    assert B2 not in links(app)


# --- refusals change nothing ------------------------------------------------------------------------------

GOOD = {"rel_id": 3, "profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1}, "weights": {"Like": 1, "Donate": 2}}
REFUSED = [
    ("edit", {k: v for k, v in GOOD.items() if k != "rel_id"}, 400),
    ("edit", {**GOOD, "rel_id": "3"}, 400),
    ("edit", {**GOOD, "profile_a": A5}, 400),
    ("edit", {k: v for k, v in GOOD.items() if k != "profile_b"}, 400),
    ("edit", {**GOOD, "profile_b": {}}, 400),
    ("edit", {k: v for k, v in GOOD.items() if k != "weights"}, 400),
    ("strengthen", {**GOOD, "weights": {"Like": 1, "Donate": "2"}}, 400),  # W7: the good weight is not applied
    ("edit", {**GOOD, "weights": {"Like": 1, "Donate": None}}, 400),
    ("edit", {**GOOD, "weights": [1]}, 400),
    ("strengthen", {**GOOD, "weights": {"Like": 1, "Subscriber": True}}, 400),
    ("strengthen", {**GOOD, "weights": {"Like": 1, "Donate": 1e300}}, 400),
    ("edit", {**GOOD, "weights": {"Like": 1, "two words": 2}}, 400),  # not an XML element name (free)
    ("attach", {**GOOD, "weights": {"x:y": 1}}, 400),
    ("edit", {**GOOD, "weights": {'!DOCTYPE a [<!ENTITY e "x">]><a': 1}}, 400),
    ("edit", {**GOOD, "matching": "phone"}, 400),
    ("edit", {**GOOD, "matching": "nope"}, 400),
    ("edit", {**GOOD, "rel_id": 999999}, 404),
    ("detach", {**GOOD, "rel_id": 8}, 404),
    ("edit", {**GOOD, "profile_a": {"profile_id": "0" * 24}}, 404),
    ("edit", {**GOOD, "profile_b": {"profile_id": "f" * 24}}, 404),
    ("attach", {**GOOD, "profile_b": {"profile_id": A5}}, 404),  # an A profile is not a B profile
]


@pytest.mark.parametrize("op, body, code", REFUSED)
def test_a_refused_write_changes_nothing(op: str, body: dict[str, Any], code: int) -> None:
    app = _app()
    before = app.store.snapshot()
    env = post(app, op, body)
    assert env["error"] == code and set(env) == {"error", "error_text"} and env["error_text"]
    assert app.store.snapshot() == before


def test_the_seed_answers_of_the_read_profiles_do_not_change_with_writes_to_a5() -> None:
    app, fresh = _app(), _app()
    for op in ("edit", "strengthen", "attach"):
        write(app, op, B3, Like=5)
    write(app, "detach", B1)
    for p in data.target_profiles():
        for op in ("get_counter", "get"):
            assert post(app, op, {"rel_id": 3, "profile_id": p["profile_id"]}) == \
                post(fresh, op, {"rel_id": 3, "profile_id": p["profile_id"]})


# --- the free choices ---------------------------------------------------------------------------------------

def test_the_other_free_choices_of_the_writes() -> None:
    app = _app(Style(detach_missing="error", attach_existing="error", empty_weights="refuse",
                     write_error_text="Successful operation", strengthen_zeros="drop"))
    assert write(app, "detach", B3)["error"] == 404
    assert write(app, "attach", B1, Like=3)["error"] == 400 and links(app)[B1]["Like"] == 2
    assert write(app, "edit")["error"] == 400 and write(app, "strengthen")["error"] == 400
    assert write(app, "strengthen", Like=-2)["error_text"] == "Successful operation"
    assert links(app)[B1] == {"Donate": 5}
    assert write(_app(), "edit")["error"] == 0  # empty weights: accepted by default


def test_the_write_variants_exist_and_differ_only_in_free_choices() -> None:
    from altcraft_contract.reference.variants import VARIANTS
    assert VARIANTS["writes-refusing"].detach_missing == "error"
    assert VARIANTS["writes-success-text-zeros-dropped"].strengthen_zeros == "drop"


# --- no crash, whatever the body ----------------------------------------------------------------------------

_NAMES = st.sampled_from(["token", "rel_id", "profile_a", "profile_b", "weights", "profile_id", "Like", "x", "matching"])
_TEXT = st.sampled_from(["", "3", "-1.5", "true", "abc", TOKEN, A5, B1, "NaN", "1e400", "<", "&amp;"])


def _elements(depth: int) -> st.SearchStrategy[str]:
    leaf = st.builds(lambda n, t: f"<{n}>{t.replace('<', '&lt;')}</{n}>", _NAMES, _TEXT)
    if depth == 0:
        return leaf
    return leaf | st.builds(lambda n, kids, t: f"<{n}>{t if t != '<' else ''}{''.join(kids)}</{n}>",
                            _NAMES, st.lists(_elements(depth - 1), max_size=3), _TEXT)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(_NAMES, inner, max_size=4)


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5), _containers,
                     max_leaves=12)


@settings(max_examples=150, deadline=None, derandomize=True, database=None)
@given(op=st.sampled_from(["strengthen", "edit", "detach", "attach"]),
       xml=st.lists(_elements(2), max_size=5).map(lambda kids: "<xml>" + "".join(kids) + "</xml>"),
       doc=st.fixed_dictionaries({"token": st.just(TOKEN), "rel_id": st.sampled_from([3, 7, "3", None])}, optional={
           "profile_a": _JSON | st.just({"profile_id": A5}), "profile_b": _JSON | st.just({"profile_id": B3}),
           "weights": _JSON}))
def test_every_malformed_write_is_answered_with_an_envelope(op: str, xml: str, doc: dict[str, Any]) -> None:
    app = _app()
    for resp in (Client(app).post(BASE + op, data=xml.encode(), content_type="application/xml"),
                 Client(app).post(BASE + op, json=doc)):
        assert resp.status_code == 200
        env = json.loads(resp.get_data())
        assert list(schemas.violations("envelope", env, "E1")) == []
        if env["error"] != 0:
            assert set(env) == {"error", "error_text"}
