"""Every clause without a verdict says why: "not covered" names the scenarios that would check it and
why none did, and a clause whose only scenarios did not run is "not run" with their reason; a hint
explains failures it can explain (an api_version the answers contradict), and no others."""

from __future__ import annotations

from typing import Any

from altcraft_contract.contract import clauses
from altcraft_contract.reports.clause_table import clause_table, hints, uncovered


def outcome(sid: str, clause: str, status: str, failures: tuple[str, ...] = (), reason: str = "",
            endpoint: str | None = None, uses: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"id": sid, "clause": clause, "status": status, "reason": reason, "transport_error": False,
            "endpoint": endpoint, "uses": list(uses), "waived": [],
            "failures": [{"clause": c, "message": "", "path": ""} for c in failures]}


WRITES_OFF = "writes not allowed: pass --writes to let the suite write (and restore) under [writes]"
WRITE_SCENARIOS = [outcome(f"{c}: a write scenario", c, "not run", reason=WRITES_OFF,
                           uses=("get_counter", "get", "edit")) for c in ("W3", "W4", "S1")]


def test_a_write_clause_without_scenarios_of_its_own_says_the_writes_reason() -> None:
    assert uncovered(clauses.get("W1"), WRITE_SCENARIOS) == ("not run", [WRITES_OFF])


def test_a_clause_whose_scenarios_all_failed_earlier_says_not_reached_and_by_what() -> None:
    c1 = [outcome(f"C1: both reads, {f}", "C1", "failed", ("D2",)) for f in ("JSON", "XML")]
    result, why = uncovered(clauses.get("C2"), c1)
    assert result == "not covered"
    assert why[0].startswith("not reached: an earlier check failed in every scenario that checks it (D2): "
                             "'C1: both reads, JSON' and 1 more")


def test_a_clause_whose_scenarios_ran_but_gave_it_nothing_says_so() -> None:
    result, why = uncovered(clauses.get("C4"), [outcome("C1: both reads", "C1", "passed")])
    assert result == "not covered" and "no answer had what it checks" in why[0]
    assert uncovered(clauses.get("C4"), [])[1] == ["no scenario of this run checks it (deselected: -k or --endpoint)"]


def test_every_row_without_a_verdict_has_a_reason() -> None:
    rec = {"outcomes": [*WRITE_SCENARIOS, outcome("C1: both reads", "C1", "failed", ("D2",)),
                        outcome("M2: x", "M2", "passed", endpoint="get_counter")],
           "held": {"M2": 3}, "facets": {}, "target": {"api_version": "v74", "waivers": {}},
           "endpoints": {"selected": ["get_counter", "get"], "unavailable": {}}}
    rows = clause_table(rec)
    assert [r["clause"] for r in rows if r["result"] not in ("passed", "failed", "waived") and not r["reason"]] == []
    by_id = {r["clause"]: r for r in rows}
    assert by_id["W1"]["result"] == "not run" and by_id["S3"]["reason"] == WRITES_OFF
    assert by_id["C1"]["result"] == "blocked" and "D2" in by_id["C1"]["reason"]
    assert by_id["C3"]["result"] == "not covered" and "(D2)" in by_id["C3"]["reason"]


def test_a_v74_target_gets_no_version_hint_for_other_d5_failures() -> None:
    failure = {"clause": "D5", "message": "-1 is less than the minimum of 0", "path": "$.data.total"}
    rec = {"target": {"api_version": "v74"}, "held": {}, "outcomes": [{"failures": [failure]}]}
    assert hints(rec) == []
    missing = {"clause": "D5", "message": "'total' is a required property", "path": "$.data"}
    assert hints({**rec, "outcomes": [{"failures": [missing]}]}) != []
    assert hints({**rec, "held": {"D5": 3}, "outcomes": [{"failures": [missing]}]}) == []  # some answers had them
