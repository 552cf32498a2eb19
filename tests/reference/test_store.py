"""The reference endpoint's store of links: get_counter's answers are computed from it and stay
exactly what they were before the store existed; relations/get lists it."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from altcraft_contract.endpoints.get import reference as get_ref
from altcraft_contract.endpoints.get_counter import reference as counter_ref
from altcraft_contract.reference import server
from altcraft_contract.reference.data import A1, A2, A3, A4, PROFILES, RELATIONS, xxh
from altcraft_contract.wire import xmlcodec

TOKEN = "ref-token"
SEED = json.loads((Path(__file__).parents[1] / "data" / "get_counter_seed_answers.json").read_text("utf-8"))
LIST = "/api/v1.1/relations/get"


def _client(api_version: str = "v74") -> httpx.Client:
    app = server.make_app(api_version=api_version, tokens=frozenset({TOKEN}))
    return httpx.Client(base_url=server.INPROCESS_URL, transport=server.inprocess_transport(app))


@pytest.mark.parametrize("api_version", ["v72", "v74"])
def test_get_counter_answers_computed_from_the_store_are_the_seed_answers(api_version: str) -> None:
    # The recorded answers were taken from the hand-written seed data before the store replaced it:
    # same totals, tops, sums and the same order of properties and top items, on both versions.
    client = _client(api_version)
    for relation in RELATIONS:
        for p in PROFILES:
            key = f"{relation.rel_id}/{p.profile_id}/{api_version}"
            assert counter_ref.build_data(relation, p, api_version) == SEED[key], key
            resp = client.post("/api/v1.1/relations/get_counter",
                               json={"token": TOKEN, "rel_id": relation.rel_id, "profile_id": p.profile_id})
            assert resp.json()["data"] == SEED[key], key


def test_relations_get_lists_the_links_of_the_matched_profile() -> None:
    env = _client().post(LIST, json={"token": TOKEN, "rel_id": 3, "matching": "email",
                                     "email": "john@example.com"}).json()
    assert (env["error"], env["error_text"], env["total_count"]) == (0, "Successful operation", 3)
    first = env["data"][0]
    assert first == {"profile_id_a": A1, "xxh_a": xxh(A1), "profile_id_b": "5c910938c484d023b1300bab",
                     "xxh_b": xxh("5c910938c484d023b1300bab"), "db_b": 9,
                     "props": {"Donate": {"value": 20}, "Like": {"value": 1}, "Subscriber": {"value": True},
                               "Оценка": {"value": 4.5}}}
    assert len(_client().post(LIST, json={"token": TOKEN, "rel_id": 3, "profile_id": A4}).json()["data"]) == 12


def test_a_profile_without_links_lists_nothing_in_json_and_xml() -> None:
    client = _client()
    env = client.post(LIST, json={"token": TOKEN, "rel_id": 3, "profile_id": A2}).json()
    assert (env["data"], env["total_count"]) == ([], 0)
    xml = client.post(LIST + "?format=xml", json={"token": TOKEN, "rel_id": 3, "profile_id": A2}).content
    assert b"<data/>" in xml and b"<total_count>0</total_count>" in xml


def test_relations_get_in_xml_repeats_data_per_link() -> None:
    body = _client().post(LIST + "?format=xml", json={"token": TOKEN, "rel_id": 3, "profile_id": A1}).content
    root = xmlcodec.parse(body)
    assert [c.tag for c in root].count("data") == 3
    assert root.findtext("total_count") == "3"


@pytest.mark.parametrize("body, code", [({"rel_id": 3, "profile_id": A1}, 401),
                                        ({"token": "wrong", "rel_id": 3, "profile_id": A1}, 403),
                                        ({"token": TOKEN, "rel_id": "x", "profile_id": A1}, 400),
                                        ({"token": TOKEN, "rel_id": 3, "profile_id": "0" * 24}, 404)])
def test_relations_get_refuses_like_get_counter(body: dict[str, object], code: int) -> None:
    env = _client().post(LIST, json=body).json()
    assert env["error"] == code and "data" not in env and "total_count" not in env


def test_unknown_paths_still_get_the_404_envelope() -> None:
    env = _client().post("/api/v1.1/relations/list", json={"token": TOKEN, "rel_id": 3, "profile_id": A1}).json()
    assert env["error"] == 404


def test_a_zero_valued_property_is_listed_by_relations_get_and_left_out_by_get_counter_by_default() -> None:
    relation, a3 = RELATIONS[0], next(p for p in PROFILES if p.profile_id == A3)
    assert get_ref.list_links(relation, a3)[0]["props"]["Idle"] == {"value": 0}
    assert "Idle" not in get_ref.list_links(relation, a3, zeros=False)[0]["props"]
    assert "Idle" not in counter_ref.build_data(relation, a3, "v74")["props"]
    assert counter_ref.build_data(relation, a3, "v74", zeros=True)["props"]["Idle"] == {"total": 1, "top": None, "sum": 0}
