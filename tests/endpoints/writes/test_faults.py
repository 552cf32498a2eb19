"""The write faults (endpoints/writes/faults.py): each does what it says, and nothing before the first write."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from werkzeug.test import Client

from altcraft_contract.reference import catalogue, data
from altcraft_contract.reference.app import ReferenceApp
from tests.endpoints.writes.test_depth import EFFECTS as DEPTH_EFFECTS
from tests.endpoints.writes.test_reference import A5, B1, B2, B3, BASE, TOKEN, _app, counter, links, ok, post, write

WRITE_FAULTS = sorted(n for n, f in catalogue.catalogue().items() if f.clause[0] in "WS")


def test_the_write_faults_cover_every_write_clause_and_name_write_endpoints() -> None:
    clauses = {catalogue.get(n).clause for n in WRITE_FAULTS}
    assert clauses == {"W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "S1", "S2"}
    for name in WRITE_FAULTS:
        assert catalogue.get(name).endpoints, name


def _reads(app: ReferenceApp) -> list[bytes]:
    """Every read answer a read-only run could see: each profile (A5 too), both reads, JSON and XML."""
    out = []
    for pid in [p.profile_id for p in data.PROFILES] + [A5]:
        for path in ("get_counter", "get"):
            for fmt in ("json", "xml"):
                for rel_id in (3, 7):
                    body = {"token": TOKEN, "rel_id": rel_id, "profile_id": pid, "format": fmt}
                    out.append(Client(app).post(BASE + path, json=body).get_data())
    return out


@pytest.mark.parametrize("name", WRITE_FAULTS)
def test_a_write_fault_changes_nothing_before_the_first_write(name: str) -> None:
    app, correct = _app(fault=name), _app()
    assert _reads(app) == _reads(correct) == _reads(app)  # twice: a cache filled at the first read stays right
    refused = {"rel_id": 3, "profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1}, "weights": {"Like": []}}
    if name != "write_refused_after_applying_other_weights":
        assert post(app, "edit", refused) == post(correct, "edit", refused)
    assert app.store.snapshot() == correct.store.snapshot()


def _w1_no_b(app: ReferenceApp) -> None:
    env = write(app, "edit", Like=1)
    assert env["error"] == 0 and "profile_b" not in env and ok(write(app, "strengthen", Like=1))


def _w1_upper(app: ReferenceApp) -> None:
    assert write(app, "edit", Like=1)["profile_a"] == A5.upper()


def _w2(app: ReferenceApp) -> None:
    assert write(app, "detach", B3)["relation_id"] == 1


def _w3_adds(app: ReferenceApp) -> None:
    assert ok(write(app, "edit", Like=5)) and links(app)[B1]["Like"] == 7


def _w3_missing(app: ReferenceApp) -> None:
    assert ok(write(app, "edit", B3, Like=5), B3) and B3 not in links(app)
    write(app, "edit", Like=5)
    assert links(app)[B1]["Like"] == 5  # an existing link is edited


def _w4_replaces(app: ReferenceApp) -> None:
    write(app, "strengthen", Like=5)
    assert links(app)[B1]["Like"] == 5


def _w4_negative(app: ReferenceApp) -> None:
    write(app, "strengthen", Like=-1, Donate=1)
    assert links(app)[B1] == {"Donate": 6, "Like": 2}


def _w4_start(app: ReferenceApp) -> None:
    write(app, "strengthen", B2, Like=2, Donate=1)
    assert links(app)[B2] == {"Donate": 13.5, "Subscriber": True, "Like": 3}


def _w5_kept(app: ReferenceApp) -> None:
    assert ok(write(app, "detach")) and B1 in links(app) and counter(app)["total"] == 2


def _w5_second_call(app: ReferenceApp) -> None:
    assert ok(write(app, "detach")) and B1 in links(app)  # the first is dropped
    assert ok(write(app, "detach")) and B1 not in links(app) and counter(app)["total"] == 1


def _w5_counted(app: ReferenceApp) -> None:
    assert ok(write(app, "detach"))
    assert B1 not in links(app) and counter(app)["total"] == 2 and counter(app)["props"]["Like"]["sum"] == 2
    write(app, "attach", B1, Donate=5, Like=2)  # restored: counted once again
    assert counter(app)["total"] == 2 and counter(app)["props"]["Donate"]["total"] == 2


def _w6(app: ReferenceApp) -> None:
    assert ok(write(app, "attach", B3, Like=4), B3) and links(app)[B3] == {}


def _w7(app: ReferenceApp) -> None:
    body = {"rel_id": 3, "profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1}, "weights": {"Like": 9, "Donate": "x"}}
    assert post(app, "edit", body)["error"] == 400 and links(app)[B1]["Like"] == 9


def _w8(app: ReferenceApp) -> None:
    write(app, "edit", Like=4)
    assert links(app)[B1]["Like"] == 4
    write(app, "edit", Like=4)
    assert links(app)[B1]["Like"] == 8


def _s1_cache(app: ReferenceApp) -> None:
    assert counter(app)["props"]["Like"]["sum"] == 2
    write(app, "edit", Like=10)
    assert links(app)[B1]["Like"] == 10 and counter(app)["props"]["Like"]["sum"] == 2
    write(app, "detach", B2)  # a detach refreshes the cache: the edit shows now
    assert counter(app)["props"]["Like"]["sum"] == 10


def _s1_spill(app: ReferenceApp) -> None:
    write(app, "edit", B3, Like=6)
    assert links(app)[B3] == {"Like": 6} and links(app)[B1]["Like"] == 6


def _s2_rel(app: ReferenceApp) -> None:
    env = write(app, "edit", rel_id=424242, Like=6)
    assert ok(env, rel_id=424242) and links(app)[B1]["Like"] == 6


def _s2_b(app: ReferenceApp) -> None:
    ghost = "ffffffffffffffffffffffff"
    assert ok(write(app, "edit", ghost, Like=1), ghost) and links(app)[ghost] == {"Like": 1}
    assert write(app, "edit", "not-an-id", Like=1)["error"] == 404


def _w4_lacking(app: ReferenceApp) -> None:
    write(app, "strengthen", Like=1, Fresh=3)  # Fresh: a property B1's link does not carry
    assert links(app)[B1] == {"Donate": 5, "Like": 3}
    write(app, "strengthen", B3, Fresh=3)  # a new link gets every property
    assert links(app)[B3] == {"Fresh": 3}


EFFECTS: dict[str, Callable[[ReferenceApp], None]] = {
    "edit_answer_without_profile_b": _w1_no_b, "edit_answer_ids_uppercase": _w1_upper, "write_relation_id_is_1": _w2,
    "edit_adds": _w3_adds, "edit_of_missing_link_creates_nothing": _w3_missing, "strengthen_replaces": _w4_replaces,
    "strengthen_ignores_negative_weights": _w4_negative, "strengthen_missing_property_starts_at_1": _w4_start,
    "strengthen_skips_properties_a_link_lacks": _w4_lacking,
    "detach_keeps_the_link": _w5_kept, "detach_needs_a_second_call": _w5_second_call,
    "detach_still_counted_by_get_counter": _w5_counted, "attach_ignores_weights": _w6,
    "write_refused_after_applying_other_weights": _w7, "edit_with_current_values_doubles_them": _w8,
    "counter_cached_from_first_read": _s1_cache, "edit_spills_to_another_link": _s1_spill,
    "unknown_rel_id_written_under_3": _s2_rel, "unknown_profile_b_linked": _s2_b,
}


def test_every_write_fault_has_its_effect_tested() -> None:
    assert sorted({**EFFECTS, **DEPTH_EFFECTS}) == WRITE_FAULTS  # the depth classes' faults: test_depth.py


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_a_write_fault_does_what_it_says(name: str) -> None:
    EFFECTS[name](_app(fault=name))


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_the_correct_endpoint_does_not_show_the_fault_s_effect(name: str) -> None:
    with pytest.raises(AssertionError):
        EFFECTS[name](_app())



def test_the_writes_refuse_a_bearer_token_under_the_fault_and_take_it_without() -> None:
    """writes_refuse_the_bearer_header (T3): the token in the header alone is refused by the writes
    only; the reads, and the correct app's writes, take it."""
    body = {"rel_id": 3, "profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1}, "weights": {"Like": 1}}
    for fault, code in (("writes_refuse_the_bearer_header", 403), ("none", 0)):
        app = _app(fault=fault)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        got = Client(app).post(BASE + "strengthen", json=body, headers=auth).get_json()
        assert got["error"] == code, got
        read = Client(app).post(BASE + "get_counter", json={"rel_id": 3, "profile_id": A5}, headers=auth).get_json()
        assert read["error"] == 0
