"""Upgrade baselines: record on the old platform, compare on the new one, gate on the exit status."""

from __future__ import annotations

import json
from pathlib import Path

from altcraft_contract.frontends.pytest_plugin import BEHAVIOUR_CHANGED
from tests.suite import run_suite

ONE_TEST = ["-k", "documented"]  # the probes run whatever the selection; keep the suite part short


def test_v72_to_v74_lists_exactly_the_added_totals(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    rec = run_suite("--api-version", "v72", "--record-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST)
    assert rec.returncode == 0, rec.stdout[-2000:]
    assert "baseline recorded" in rec.stdout and json.loads(base.read_text())["probes"]
    cmp = run_suite("--api-version", "v74", "--compare-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST)
    assert cmp.returncode == BEHAVIOUR_CHANGED, cmp.stdout[-2000:]
    changes = json.loads((tmp_path / "results.json").read_text())["behaviour_changes"]["changes"]
    assert sorted((c["kind"], c["path"], c["after"]) for c in changes) == [
        ("field added", "$.data.props.*.total", "integer"), ("field added", "$.data.total", "integer")]
    assert "behaviour changes since the baseline: 2" in cmp.stdout
    assert "Behaviour changes since the baseline" in (tmp_path / "report.html").read_text()


def test_same_platform_shows_no_changes(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    assert run_suite("--record-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST).returncode == 0
    cmp = run_suite("--compare-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST)
    assert cmp.returncode == 0, cmp.stdout[-2000:]
    assert json.loads((tmp_path / "results.json").read_text())["behaviour_changes"]["changes"] == []


def test_a_changed_error_code_is_a_behaviour_change(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    assert run_suite("--record-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST).returncode == 0
    cmp = run_suite("--compare-baseline", str(base), "--reports-dir", str(tmp_path),
                    "--reference-variant", "not-found-1001", *ONE_TEST)
    changes = json.loads((tmp_path / "results.json").read_text())["behaviour_changes"]["changes"]
    assert cmp.returncode == BEHAVIOUR_CHANGED
    assert ("error code changed", 404, 1001) in {(c["kind"], c["before"], c["after"]) for c in changes}


def test_baselines_under_xdist_against_a_target_file(tmp_path: Path) -> None:
    from altcraft_contract.reference import server

    token = "xdist-baseline-token"
    with server.LoopbackServer(server.make_app(tokens=frozenset({token}))) as srv:
        target = tmp_path / "t.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
        base = tmp_path / "baseline.json"
        common = ["--target", str(target), "--reports-dir", str(tmp_path), "-n", "2", *ONE_TEST]
        env = {"ALTCRAFT_API_TOKEN": token}
        assert run_suite("--record-baseline", str(base), *common, env=env).returncode == 0
        cmp = run_suite("--compare-baseline", str(base), *common, env=env)
    assert cmp.returncode == 0, cmp.stdout[-2000:]
    assert json.loads((tmp_path / "results.json").read_text())["behaviour_changes"]["changes"] == []


def test_baselines_record_relations_get_beside_get_counter(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    assert run_suite("--record-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST).returncode == 0
    probes = json.loads(base.read_text())["probes"]
    listing, counter = probes["relations/get › profile 1 by profile_id"], probes["profile 1 by profile_id"]
    assert {"$.total_count", "$.data[].xxh_b", "$.data[].props.*.value"} <= set(listing["shape"])
    assert "$.data.profile_xxh" in counter["shape"] and listing["xml_differences"] == []
    assert "relations/get › no token" in probes and "relations/get › unknown profile" in probes
    # Only the reads are probed: a baseline never sends anything to a write path.
    assert not any(pid.startswith(("relations/edit", "relations/strengthen", "relations/detach", "relations/attach"))
                   for pid in probes)


def test_with_writes_a_free_choice_of_the_writes_that_changes_is_listed(tmp_path: Path) -> None:
    """The baseline's write probes: recorded and compared only with --writes, restored; a platform
    that starts refusing a detach of a missing link (free, so no failure) shows as a change."""
    base = tmp_path / "baseline.json"
    rec = run_suite("--writes", "--record-baseline", str(base), "--reports-dir", str(tmp_path), *ONE_TEST)
    assert rec.returncode == 0, rec.stdout[-2000:]
    probes = json.loads(base.read_text())["probes"]
    assert probes["writes › detach a missing link"]["error"] == 0 and probes["writes › edit creates a link"]["error"] == 0
    assert probes["writes › edit an unknown profile_b"]["error"] not in (0, None)
    cmp = run_suite("--writes", "--compare-baseline", str(base), "--reports-dir", str(tmp_path),
                    "--reference-variant", "writes-refusing", *ONE_TEST)
    assert cmp.returncode == BEHAVIOUR_CHANGED, cmp.stdout[-2000:]
    changes = json.loads((tmp_path / "results.json").read_text())["behaviour_changes"]["changes"]
    assert any(c["kind"] == "error code changed" and "writes › detach a missing link" in c["probes"] for c in changes)
    # What the contract fixes stays: an edit still succeeds.
    assert not any(c["kind"] == "error code changed" and "writes › edit creates a link" in c["probes"] for c in changes)
