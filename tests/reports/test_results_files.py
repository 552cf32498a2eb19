"""results.json follows its schema and gives every clause without a verdict its reason; JUnit files
each failure under the clauses that failed; the endpoints table blames the endpoint whose answers
failed; an api_version the answers contradict is said once, beside the failures."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from altcraft_contract.contract import schemas
from tests.suite import run_suite


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    proc = run_suite("--fault", "xml_float_sum_rounded", "--reports-dir", str(out))
    assert proc.returncode == 1, proc.stdout[-2000:]
    return out


def test_results_json_validates_against_its_schema(reports: Path) -> None:
    doc = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    errors = [e.message for e in Draft202012Validator(schemas.all_schemas()["results.schema.json"]).iter_errors(doc)]
    assert errors == []
    assert doc["summary"]["failed"] >= 1
    p1 = next(c for c in doc["clauses"] if c["clause"] == "P1")
    assert p1["result"] == "failed" and p1["facets"]
    diff = next(f for s in doc["scenarios"] for f in s["failures"] if f["clause"] == "P1")["diffs"][0]
    assert (diff["json_value"], diff["xml_value"]) == (7.75, 8)
    unexplained = [r["clause"] for r in doc["clauses"] if r["result"] not in ("passed", "failed", "waived")
                   and not r["reason"]]
    assert unexplained == []
    w1 = next(r for r in doc["clauses"] if r["clause"] == "W1")  # no scenario of its own: the writes' reason
    assert w1["result"] == "not run" and w1["reason"].startswith("writes not allowed")
    assert doc["verdict"] == {"word": "FAIL", "exit_status": 1, "text": doc["verdict"]["text"]}


def test_junit_names_the_clause_of_every_case(reports: Path) -> None:
    cases = ET.parse(reports / "junit.xml").getroot().iter("testcase")
    clauses = {c.get("name"): [p.get("value") for p in c.iter("property") if p.get("name") == "clause"] for c in cases}
    assert clauses and all(v for v in clauses.values()), [k for k, v in clauses.items() if not v]

    failed = {c.get("name"): c for c in ET.parse(reports / "junit.xml").getroot().iter("testcase")
              if c.find("failure") is not None}
    # The C3 fault shows in C1's scenarios: JUnit files that case under C3, and keeps C1 visible.
    c1 = next(c for name, c in failed.items() if "C1: get_counter agrees" in str(name))
    props = [(p.get("name"), p.get("value")) for p in c1.iter("property")]
    assert ("clause", "C3") in props and ("scenario_clause", "C1") in props and ("clause", "C1") not in props
    assert c1.find("failure").get("message", "").startswith("1 contract failure(s): C3 (in a scenario of C1)")  # type: ignore[union-attr]


def test_a_failed_write_counts_against_the_endpoint_whose_answers_failed(tmp_path: Path) -> None:
    """strengthen replaces instead of adding (W4): the scenarios that fail use edit and detach too
    (the generated one, and every restore), but only strengthen's answers are wrong."""
    proc = run_suite("--writes", "--fault", "strengthen_replaces", "--hypothesis-seed", "1", "--reports-dir",
                     str(tmp_path), tests="contract_tests/test_writes.py")
    assert proc.returncode == 1, proc.stdout[-3000:]
    rows = {e["name"]: e for e in json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["endpoints"]}
    assert rows["strengthen"]["clauses_failed"] == ["W4"] and rows["strengthen"]["scenarios"]["failed"] >= 1
    for name in ("edit", "detach", "attach"):
        assert rows[name]["clauses_failed"] == [] and rows[name]["scenarios"]["failed"] == 0, rows[name]
    lines = {ln.split()[0]: ln for ln in proc.stdout.splitlines() if ln.startswith("  /api/v1.1/relations/")}
    assert "(failed: W4)" in lines["/api/v1.1/relations/strengthen"]
    assert "failed:" not in lines["/api/v1.1/relations/edit"] and "failed:" not in lines["/api/v1.1/relations/detach"]


def test_a_v72_target_named_v74_is_said_once_beside_the_d5_failures(tmp_path: Path) -> None:
    from altcraft_contract.reference import server

    token = "v72-named-v74-token"
    with server.LoopbackServer(server.make_app("v72", tokens=frozenset({token}))) as srv:
        target = tmp_path / "t.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), "-k", "documented",
                         env={"ALTCRAFT_API_TOKEN": token})
    assert proc.returncode == 1, proc.stdout[-3000:]
    hint = 'the target answers like v72 but the target file says api_version = "v74": set api_version = "v72"'
    assert proc.stdout.count(hint) == 1
    kinds = proc.stdout.split("failures by kind")[1].splitlines()
    assert kinds[next(i for i, ln in enumerate(kinds) if hint in ln) - 1].lstrip().startswith("D5 ")  # beside them
    doc = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert doc["hints"] == [{"clause": "D5", "text": hint}]
    assert next(r for r in doc["clauses"] if r["clause"] == "D5")["result"] == "failed"  # still failed, not hidden
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.count('id="hint-D5"') == 1 and html.index('id="hint-D5"') < html.index('id="failures-D5"')
