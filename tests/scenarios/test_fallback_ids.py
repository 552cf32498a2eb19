"""Without the optional [data] unknown_rel_id and unknown_resource_id, the scenarios that need a
relation or a resource that does not exist still run, with ids no deployment plausibly uses; so a
target file with only the documented keys still catches a server that ignores resource_id."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from altcraft_contract.reference import server
from tests.suite import run_suite

TOKEN = "fallback-ids-token"


def _run(tmp_path: Path, fault: str) -> tuple[int, dict[str, object]]:
    with server.LoopbackServer(server.make_app(fault=fault, tokens=frozenset({TOKEN}))) as srv:
        target = dataclasses.replace(server.target_for(srv.base_url, "v74"), unknown_rel_id=None,
                                     unknown_resource_id=None)
        path = tmp_path / "t.toml"
        path.write_text(server.target_toml(target), encoding="utf-8")
        assert "unknown_resource_id" not in path.read_text() and "unknown_rel_id" not in path.read_text()
        proc = run_suite("--target", str(path), "--reports-dir", str(tmp_path), "-k", "resource or rel_id",
                         env={"ALTCRAFT_API_TOKEN": TOKEN})
    return proc.returncode, json.loads((tmp_path / "results.json").read_text())


def _statuses(results: dict[str, object], title: str) -> set[str]:
    return {o["status"] for o in results["scenarios"] if title in o["id"]}  # type: ignore[attr-defined,index]


def test_a_correct_target_passes_and_both_scenarios_run(tmp_path: Path) -> None:
    status, results = _run(tmp_path, "none")
    assert status == 0
    assert _statuses(results, "a resource holding none") == {"passed"}
    assert _statuses(results, "an unknown rel_id") == {"passed"}


@pytest.mark.parametrize(("fault", "clause"), [("resource_id_ignored", "M3"), ("unknown_rel_id_as_403", "R5")])
def test_a_broken_target_is_caught_without_the_optional_ids(tmp_path: Path, fault: str, clause: str) -> None:
    status, results = _run(tmp_path, fault)
    assert status == 1
    failed = {f["clause"] for o in results["scenarios"] for f in o["failures"]}  # type: ignore[attr-defined]
    assert clause in failed
