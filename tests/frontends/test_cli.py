"""The suite as a user runs it: a subprocess pytest, its exit statuses and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.suite import run_suite


@pytest.mark.parametrize(("args", "env", "status", "words"), [
    (["--target", "missing.toml"], {}, 66, "does not exist"),
    (["--target", "targets/example.toml"], {}, 78, "ALTCRAFT_API_TOKEN is not set"),
    (["--target", "targets/example.toml", "--base-url", "http://127.0.0.1:9"], {"ALTCRAFT_API_TOKEN": "x"}, 69,
     "unreachable"),
    (["--fault", "no_such_fault"], {}, 65, "unknown fault"),
    (["--compare-baseline", "no-such-baseline.json"], {}, 66, "record one first"),
])
def test_bad_input_gives_one_line_and_its_own_status(args: list[str], env: dict[str, str], status: int,
                                                     words: str) -> None:
    proc = run_suite(*args, env=env)
    assert proc.returncode == status, proc.stdout + proc.stderr
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0], lines
    assert "Traceback" not in proc.stderr


def test_suite_passes_in_process_and_fails_with_the_clause_named(tmp_path: Path) -> None:
    ok = run_suite("--transport", "inprocess", "--reports-dir", str(tmp_path))
    assert ok.returncode == 0, ok.stdout[-3000:]
    bad = run_suite("--fault", "xxh_seed_1", "--reports-dir", str(tmp_path))
    assert bad.returncode == 1
    assert "[D2] profile_xxh is not xxHash64(profile_id)" in bad.stdout
    assert "Reproduce with: curl" in bad.stdout


@pytest.mark.parametrize("where", ["in the repository", "outside", "outside, with --target=PATH"])
def test_bare_pytest_with_a_target_runs_the_contract_suite(tmp_path: Path, where: str) -> None:
    """The issue's usage, ``pytest --target targets/staging.toml``, with no path: testpaths is the suite.
    A file outside the repository works too, although pytest takes a lone path argument for a test
    path before any plugin can claim it and then finds no configuration (see _without_configuration)."""
    import os
    import subprocess
    import sys
    import uuid

    from altcraft_contract.reference import server
    from tests.suite import ROOT

    token = "bare-pytest-token"
    inside = where.startswith("in the")
    target = (ROOT / "targets" / f".test-{uuid.uuid4().hex}.toml") if inside else tmp_path / "t.toml"
    option = (["--target", str(target.relative_to(ROOT))] if inside
              else [f"--target={target}"] if "=" in where else ["--target", str(target)])
    try:
        with server.LoopbackServer(server.make_app(fault="xxh_seed_1", tokens=frozenset({token}))) as srv:
            target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
            env = {**os.environ, "ALTCRAFT_API_TOKEN": token}
            proc = subprocess.run([sys.executable, "-m", "pytest", *option, "-p", "no:cacheprovider",
                                   "-q", "--hypothesis-profile", "quick", "--reports-dir", str(tmp_path), "-k", "not schemathesis"],
                                  cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    finally:
        target.unlink(missing_ok=True)
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "[D2] profile_xxh is not xxHash64(profile_id)" in proc.stdout
    assert "test_get_counter[" in proc.stdout and "test_cli" not in proc.stdout  # the suite, no self-tests
    assert (tmp_path / "junit.xml").is_file()  # the contract run's default JUnit file, as with the path


def test_endpoint_option_narrows_the_run_and_the_reports_say_so(tmp_path: Path) -> None:
    proc = run_suite("--endpoint", "get_counter", "--transport", "inprocess", "--reports-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-3000:]
    doc = json.loads((tmp_path / "results.json").read_text("utf-8"))
    by_name = {e["name"]: e for e in doc["endpoints"]}
    assert by_name["get_counter"]["result"] == "checked" and by_name["get"]["result"] == "not selected"
    assert doc["scenarios"] and all(sc["endpoint"] in ("get_counter", None) for sc in doc["scenarios"])
    assert not any(sc["clause"].startswith("C") for sc in doc["scenarios"])  # the consistency ones need both reads
    assert "relations/get " not in json.dumps([sc["id"] for sc in doc["scenarios"]])
    # The clauses left without scenarios say why: the endpoint they need was not selected.
    rows = {row["clause"]: row for row in doc["clauses"]}
    assert rows["G1"]["result"] == "not run" and "needs relations/get (--endpoint)" in rows["G1"]["not_run_reasons"][0]
    assert rows["C1"]["result"] == "not run" and rows["D1"]["result"] == "passed"


def test_scenario_ids_read_as_written_in_pytest_s_own_lines() -> None:
    """The short summary and -v lines print node ids: "relations/get › M2", not pytest's "\\u203a"."""
    proc = run_suite("--collect-only", "-k", "relations/get and M2")
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert "[relations/get › M2: " in proc.stdout and "\\u203a" not in proc.stdout
