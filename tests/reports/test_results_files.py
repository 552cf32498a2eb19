"""results.json follows its schema; JUnit names the clause of every case; reports read results only."""

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


def test_junit_names_the_clause_of_every_case(reports: Path) -> None:
    cases = ET.parse(reports / "junit.xml").getroot().iter("testcase")
    clauses = {c.get("name"): [p.get("value") for p in c.iter("property") if p.get("name") == "clause"] for c in cases}
    assert clauses and all(v for v in clauses.values()), [k for k, v in clauses.items() if not v]
