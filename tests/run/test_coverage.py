"""Coverage: the quick profile sends every class of the input model that the target's data and the
format allow, and says why for each one it does not send."""

from __future__ import annotations

from altcraft_contract.run import coverage
from altcraft_contract.run.build import Run
from altcraft_contract.run.runner import run_scenario
from altcraft_contract.scenarios.all import all_scenarios


def test_quick_sends_every_class_of_the_model(inprocess_run: Run) -> None:
    for sc in all_scenarios():
        if sc.id.startswith(("R4: every input class", "R3: every token class", "X1: XML", "M1: every identifier",
                             "T2: every class of the JSON text", "X1: every class of the XML text",
                             "R6: other HTTP methods", "R5: near-misses")):
            assert run_scenario(sc, inprocess_run.session).status.value == "passed", sc.id
    # The writes' classes need --writes (tests/endpoints/writes/test_depth.py sends them).
    rows = [r for r in coverage.table(inprocess_run.session) if not r["field"].endswith(("weights", "refused", "writes"))]
    unsent = [r for r in rows if not r["sent"]]
    assert all(r["reason"] and r["reason"] != coverage.NOT_SENT for r in unsent), unsent
    fields = {r["field"] for r in rows if r["sent"]}
    assert {"rel_id", "resource_id", "email", "phone", "profile_id", "field_name", "field_value", "matching",
            "token", "XML body", "JSON text", "XML text", "HTTP method", "Content-Type", "near-miss: own email",
            "near-miss: subscription email", "near-miss: phone", "near-miss: profile_id", "near-miss: custom value",
            "near-miss: own email, matching=email_profile", "near-miss: own email with resource_id",
            "near-miss: phone with resource_id"} <= fields
    # Every class of every field is sent in JSON; XML leaves out only what its text cannot carry.
    assert not [r for r in unsent if r["format"] == "json"]
    assert len(rows) - len(unsent) > 250


def test_merged_coverage_counts_a_class_sent_by_any_worker(inprocess_run: Run) -> None:
    plan = coverage.plan(inprocess_run.session.target)
    sent = [dict(r, sent=True, reason="") if i == 0 else dict(r) for i, r in enumerate(plan)]
    merged = coverage.merge([plan, sent])
    assert merged[0]["sent"] and not merged[1]["sent"]
