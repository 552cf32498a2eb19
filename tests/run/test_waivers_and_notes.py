"""A waived clause still runs and shows as waived; undocumented fields are listed, never failed."""

from __future__ import annotations

import json
from pathlib import Path

from altcraft_contract.reference import server
from tests.suite import run_suite

TOKEN = "waiver-token"


def test_waived_clause_runs_and_is_reported_as_waived(tmp_path: Path) -> None:
    app = server.make_app(fault="success_text_ok", tokens=frozenset({TOKEN}))
    with server.LoopbackServer(app) as srv:
        target = tmp_path / "t.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74"))
                          + '\n[waivers]\n"E2.text" = "staging says OK (ticket 123)"\n', encoding="utf-8")
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), env={"ALTCRAFT_API_TOKEN": TOKEN})
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "xfailed" in proc.stdout and "waived: E2.text: staging says OK (ticket 123)" in proc.stdout
    doc = json.loads((tmp_path / "results.json").read_text())
    row = next(c for c in doc["clauses"] if c["clause"] == "E2.text")
    assert row["result"] == "waived" and row["waived"] > 0 and row["waiver"] == "staging says OK (ticket 123)"
    assert doc["summary"]["waived"] > 0 and doc["summary"]["failed"] == 0


def test_undocumented_fields_are_listed_not_failed(tmp_path: Path) -> None:
    proc = run_suite("--reference-variant", "extra-fields", "--reports-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:]
    doc = json.loads((tmp_path / "results.json").read_text())
    assert {"$.request_id", "$.data.segment_hint", "$.data.updated_at"} <= set(doc["undocumented_fields"])
    assert "undocumented fields seen (D7, not failures)" in proc.stdout
    assert "$.data.segment_hint" in (tmp_path / "report.html").read_text()
