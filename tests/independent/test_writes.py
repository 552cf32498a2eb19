"""The independent implementation's writes (tests/independent/writes.py), tested on their own by
calling the WSGI app: every write in JSON and XML, the reads showing them, the free choices of each
style, and a model of random writes against both reads."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.independent import server as independent
from tests.independent import writes
from tests.independent.api import B4, B5, B6, B7, INITIAL_A, PATH, TOKEN, A, Api, near, success_text

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
