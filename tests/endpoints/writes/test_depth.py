"""The writes beyond their schema: the faults of the value, refusal and overlap classes do what they
say (and the correct endpoint does not), the free choices they touch are variants the suite passes,
the overlap judge allows exactly the serial orders, and every class is sent and listed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from werkzeug.test import Client

from altcraft_contract.endpoints.writes import depth
from altcraft_contract.reference import catalogue, data
from altcraft_contract.reference.app import ReferenceApp
from altcraft_contract.reference.render import Style
from altcraft_contract.run import coverage
from altcraft_contract.run.build import build_run
from altcraft_contract.run.runner import run_scenario
from altcraft_contract.scenarios.all import all_scenarios
from tests.endpoints.writes.test_reference import A5, B1, B2, B3, BASE, TOKEN, _app, counter, links, ok, post, write


def _int32(app: ReferenceApp) -> None:
    assert ok(write(app, "edit", Like=2**31)) and links(app)[B1]["Like"] == 2**31


def _bools(app: ReferenceApp) -> None:
    assert ok(write(app, "edit", Like=True)) and links(app)[B1]["Like"] is True


def _float32(app: ReferenceApp) -> None:
    write(app, "strengthen", Like=123456787.123)  # Like is 2: the result is 123456789.123
    assert links(app)[B1]["Like"] == pytest.approx(123456789.123, rel=1e-12)


def _attach_big(app: ReferenceApp) -> None:
    assert ok(write(app, "attach", B3, Like=2**31), B3)


def _detach_unknown_rel(app: ReferenceApp) -> None:
    assert write(app, "detach", rel_id=424242)["error"] != 0 and B1 in links(app)


def _xml_half(app: ReferenceApp) -> None:
    body = (f"<xml><token>{TOKEN}</token><rel_id>3</rel_id><profile_a><profile_id>{A5}</profile_id></profile_a>"
            f"<profile_b><profile_id>{B1}</profile_id></profile_b><weights><Like>9</Like><Donate>x</Donate></weights></xml>")
    resp = Client(app).post(BASE + "edit", data=body, content_type="application/xml")
    assert resp.status_code in (200, 400) and links(app)[B1]["Like"] == 2


def _no_rel_id(app: ReferenceApp) -> None:
    body = {"profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B1}, "weights": {"Like": 9}}
    assert post(app, "edit", body)["error"] == 400 and links(app)[B1]["Like"] == 2


def _overlapping(first: str, weights: list[dict[str, Any]], check: Callable[[dict[str, Any]], bool]
                 ) -> Callable[[ReferenceApp], None]:
    """``first`` with the first weights, then strengthens with the others while it is under way."""
    def run(app: ReferenceApp) -> None:
        threads = [threading.Thread(target=write, args=(app, first if i == 0 else "strengthen"), kwargs=w)
                   for i, w in enumerate(weights)]
        for t in threads:
            t.start()
            time.sleep(0.01)  # the first is under way when the others come (a faulty one waits 50 ms)
        for t in threads:
            t.join()
        assert check(links(app)[B1]), links(app)[B1]
    return run


EFFECTS: dict[str, Callable[[ReferenceApp], None]] = {
    "edit_stores_int32": _int32, "edit_stores_booleans_as_numbers": _bools, "strengthen_stores_float32": _float32,
    "attach_refuses_32_bit_overflow": _attach_big, "detach_with_unknown_rel_id_detaches": _detach_unknown_rel,
    "xml_write_refused_after_applying_other_weights": _xml_half, "write_without_rel_id_applied": _no_rel_id,
    # 4 strengthens of Like (2) by 1 at once: all four count.
    "strengthen_loses_overlapping_updates": _overlapping("strengthen", [{"Like": 1}] * 4, lambda v: v["Like"] == 6),
    # A strengthen of Donate racing an edit of Like: both stay.
    "edit_writes_back_a_stale_link": _overlapping("edit", [{"Like": 7}, {"Donate": 10}],
                                                  lambda v: v == {"Donate": 15, "Like": 7}),
}


def test_every_fault_of_the_depth_classes_has_its_effect_tested() -> None:
    names = {"edit_stores_int32", "strengthen_loses_overlapping_updates", "write_without_rel_id_applied"}
    assert names <= set(EFFECTS) <= set(catalogue.catalogue())


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_a_depth_fault_does_what_it_says(name: str) -> None:
    with pytest.raises(AssertionError):
        EFFECTS[name](_app(fault=name))


@pytest.mark.parametrize("name", sorted(EFFECTS))
def test_the_correct_endpoint_does_what_the_contract_says(name: str) -> None:
    EFFECTS[name](_app())


def test_the_exact_variant_keeps_decimals_and_sums_a_cancelling_property_exactly() -> None:
    app = _app(Style(exact_decimals=True))
    body = {"rel_id": 3, "profile_id": data.A1}
    raw = Client(app).post(BASE + "get_counter", json={"token": TOKEN, **body}).get_data()
    assert json.loads(raw, parse_float=Decimal)["data"]["props"]["Balance"]["sum"] == Decimal("1.5")
    assert sum(float(x) for x in data.CANCELLING) == 2.0  # what a double sum would say
    for step in ("0.1", "0.2"):
        Client(app).post(BASE + "strengthen", data=json.dumps({"token": TOKEN, "rel_id": 3, "profile_a": {"profile_id": A5},
                         "profile_b": {"profile_id": B1}, "weights": {"Like": float(step)}}), content_type="application/json")
    got = Client(app).post(BASE + "get", json={"token": TOKEN, "rel_id": 3, "profile_id": A5}).get_data()
    values = {x["profile_id_b"]: x["props"] for x in json.loads(got, parse_float=Decimal)["data"]}
    assert values[B1]["Like"]["value"] == Decimal("2.3")


def test_booleans_count_as_1_or_are_left_out_of_top_and_sum() -> None:
    counted, skipped = _app(), _app(Style(bools="skip"))
    for app in (counted, skipped):
        write(app, "edit", Like=True, Donate=True)
    assert counter(counted)["props"]["Like"]["sum"] == 1
    assert {"profile_id": B1, "value": 1} in counter(counted)["props"]["Donate"]["top"]
    assert counter(skipped)["props"]["Like"]["sum"] == 0
    assert all(i["profile_id"] != B1 for i in counter(skipped)["props"]["Donate"]["top"])
    assert links(skipped)[B1] == {"Donate": True, "Like": True}


def test_the_overlap_judge_allows_every_serial_order_and_nothing_else() -> None:
    start = {B1: {"Like": 2}}
    race = [("edit", B1, {"Like": 10}), ("strengthen", B1, {"Like": 3})]
    allowed = [s[B1]["Like"] for s in depth.serial_states(start, race)]
    assert sorted(float(v.value) if hasattr(v, "value") else v for v in allowed) == [10, 13]
    many = [("strengthen", B1, {"Like": n}) for n in range(1, 9)]
    [only] = depth.serial_states(start, many)  # strengthens commute: one order stands for all 8! orders
    assert only[B1]["Like"] == 38


def test_with_writes_every_write_class_is_sent_and_listed() -> None:
    run = build_run(transport="inprocess", hypothesis_profile="quick", check_reachable=False, writes=True)
    try:
        wanted = [s for s in all_scenarios() if s.id.startswith(("W3: every value", "W4: every value", "W6: every value",
                                                                   "W7: every write refused", "S1: writes that overlap"))]
        assert len(wanted) == 5
        for sc in wanted:
            assert run_scenario(sc, run.session).status.value == "passed", sc.id
        rows = [r for r in coverage.table(run.session) if r["field"].endswith(("weights", "refused")) or
                r["field"] == "overlapping writes"]
        assert len(rows) > 100 and all(r["sent"] and r["result"] == "held" for r in rows), [r for r in rows if not r["sent"]]
        assert {r["field"] for r in rows} >= {"edit weights", "strengthen weights", "attach weights", "detach refused",
                                              "overlapping writes"}
    finally:
        run.close()


def test_without_writes_each_write_class_says_why_it_was_not_sent() -> None:
    run = build_run(transport="inprocess", hypothesis_profile="quick", check_reachable=False)
    try:
        rows = [r for r in coverage.table(run.session) if r["field"].endswith(("weights", "refused"))]
        assert rows and all(not r["sent"] and r["reason"].startswith("writes not allowed") for r in rows)
    finally:
        run.close()


def test_the_correct_endpoint_passes_the_writes_in_the_exact_and_boolean_variants() -> None:
    for variant in ("exact-decimals-cancelling", "booleans-left-out-of-top-and-sum"):
        run = build_run(transport="inprocess", hypothesis_profile="quick", check_reachable=False, writes=True,
                        variant=variant)
        try:
            for sc in all_scenarios():
                if sc.exclusive or sc.id.startswith("C"):
                    assert run_scenario(sc, run.session).status.value == "passed", (variant, sc.id)
        finally:
            run.close()


def test_refused_writes_are_judged_after_each_batch() -> None:
    app = _app()
    before = app.store.snapshot()
    for op in ("edit", "strengthen", "detach"):
        assert post(app, op, {"profile_a": {"profile_id": A5}, "profile_b": {"profile_id": B2}})["error"] == 400
    assert app.store.snapshot() == before and B3 not in links(app)
