"""The writes as a user runs them: --writes against the embedded endpoint passes and leaves its
store unchanged, --dry-run prints the plan, a failing write scenario leaves a replay script that
replays the sequence against a server, and the write faults fail the run naming their clause."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

from altcraft_contract.reference import server
from altcraft_contract.reference.render import Style
from tests.suite import run_suite

TOKEN = "writes-cli-token-0123456789"


def test_writes_pass_against_the_embedded_endpoint(tmp_path: Path) -> None:
    proc = run_suite("--writes", "--reports-dir", str(tmp_path), env={"ALTCRAFT_API_TOKEN": TOKEN})
    assert proc.returncode == 0, proc.stdout[-4000:]
    for clause in ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "S1", "S2", "S3"):
        assert re.search(rf"\n  {clause} +passed", proc.stdout), clause
    assert "/api/v1.1/relations/edit" in proc.stdout and "RESTORE FAILED" not in proc.stdout


def test_the_thorough_writes_pass_against_the_embedded_endpoint(tmp_path: Path) -> None:
    """Seed 2 once failed the correct endpoint (C4: an edit to 0, then to -35, and a top without the 0)."""
    proc = run_suite("--writes", "--hypothesis-profile", "thorough", "--hypothesis-seed", "2",
                     "--reports-dir", str(tmp_path), tests="contract_tests/test_writes.py")
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_without_the_option_the_writes_say_why_they_did_not_run(tmp_path: Path) -> None:
    proc = run_suite("--reports-dir", str(tmp_path), tests="contract_tests/test_writes.py")
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "writes not allowed: pass --writes" in proc.stdout
    assert re.search(r"/api/v1\.1/relations/edit +not run +writes not allowed", proc.stdout), proc.stdout[-3000:]


class Logged:
    """A WSGI app that records the path of every request it is sent."""

    def __init__(self, app: Any) -> None:
        self.app, self.paths = app, []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.paths.append(environ["PATH_INFO"])
        return self.app(environ, start_response)


def test_a_dry_run_prints_the_plan_and_sends_only_the_reads_it_needs(tmp_path: Path) -> None:
    """The whole suite with --writes --dry-run: the plan, and nothing sent but the reads of the
    starting state (the read scenarios, schemathesis and the baseline probes are not run)."""
    logged = Logged(server.make_app("v74", "none", Style(), frozenset({TOKEN})))
    with server.LoopbackServer(logged) as srv:  # type: ignore[arg-type]
        target = tmp_path / "staging.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
        proc = run_suite("--target", str(target), "--writes", "--dry-run", "--reports-dir", str(tmp_path),
                         "--record-baseline", str(tmp_path / "baseline.json"), env={"ALTCRAFT_API_TOKEN": TOKEN})
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "plan of writes (dry run, nothing sent):" in proc.stdout
    assert re.search(r"1\. edit /api/v1\.1/relations/edit JSON", proc.stdout)
    assert "restore: detach" in proc.stdout
    assert set(logged.paths) <= {"/api/v1.1/relations/get_counter", "/api/v1.1/relations/get"}, set(logged.paths)
    # Two starting reads per write scenario and the preflight's: the whole read suite sends over a thousand.
    assert 0 < len(logged.paths) <= 60, len(logged.paths)
    assert not (tmp_path / "baseline.json").exists() and "baseline recorded" not in proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("altcraft-contract: DRY RUN (exit 0)")


def test_a_failing_sequence_leaves_a_replay_script_that_replays_it(tmp_path: Path) -> None:
    proc = run_suite("--writes", "--fault", "edit_adds", "--reports-dir", str(tmp_path),
                     tests="contract_tests/test_writes.py", env={"ALTCRAFT_API_TOKEN": TOKEN})
    assert proc.returncode == 1 and "[W3]" in proc.stdout, proc.stdout[-3000:]
    script = tmp_path / "replay-writes-1.sh"
    assert script.is_file() and TOKEN not in script.read_text() and os.access(script, os.X_OK)
    # The state to put back (5, or 5.0 once an earlier scenario's restore moved it back by strengthen).
    assert re.search(r"#   5c910938c484d023b1300e01: Donate=5(\.0)?, Like=2", script.read_text())
    app = server.make_app("v74", "edit_adds", Style(), frozenset({TOKEN}))
    with server.LoopbackServer(app) as srv:
        env = {**os.environ, "BASE_URL": srv.base_url, "ALTCRAFT_API_TOKEN": TOKEN}
        out = subprocess.run(["sh", str(script)], env=env, capture_output=True, text=True, timeout=60, check=True)
    # The edit set Donate to 12; the faulty server added it to 5: the replay shows the 17 again.
    assert '"relation_id": 3' in out.stdout and '"Donate": {"value": 17' in out.stdout, out.stdout[-2000:]


def test_ctrl_c_during_the_writes_leaves_the_server_as_it_was(tmp_path: Path) -> None:
    """A real SIGINT to a real run against a real server, once its writes have begun: the run ends
    as interrupted (2) and the server's links are as before (the restore went through)."""
    import signal
    import sys
    import time

    from tests.suite import ROOT

    app = server.make_app("v74", "none", Style(), frozenset({TOKEN}), latency_ms=15)
    before = app.store.snapshot()
    with server.LoopbackServer(app) as srv:
        target = tmp_path / "staging.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")).replace(
            'token_env = "ALTCRAFT_API_TOKEN"', 'token_env = "WRITES_TOKEN"'), encoding="utf-8")
        env = {**os.environ, "WRITES_TOKEN": TOKEN}
        proc = subprocess.Popen([sys.executable, "-m", "pytest", "contract_tests/test_writes.py", "-p", "no:cacheprovider",
                                 "-q", "--target", str(target), "--writes", "--reports-dir", str(tmp_path)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 60
        while app.store.snapshot() == before and time.monotonic() < deadline:
            time.sleep(0.005)
        assert app.store.snapshot() != before, "the writes never began"
        time.sleep(0.1)  # somewhere inside a scenario: between a write and its reads, or in the reads
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 2, out[-3000:]
        assert app.store.snapshot() == before, out[-3000:]


def test_a_restore_that_cannot_work_is_loud_in_every_output(tmp_path: Path) -> None:
    """On a server whose detach removes nothing, the link the suite created cannot be taken away:
    the run says RESTORE FAILED with the state to restore by hand, in red at the end, in
    results.json and in report.html."""
    import json

    proc = run_suite("--writes", "--fault", "detach_keeps_the_link", "--reports-dir", str(tmp_path),
                     tests="contract_tests/test_writes.py")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert any(line.startswith("altcraft-contract: RESTORE FAILED") and "Restore by hand" in line for line in lines)
    doc = json.loads((tmp_path / "results.json").read_text())
    assert len(doc["writes"]["restore_failed"]) == 1  # once, and then the suite writes no more
    assert "From the last read, that is: detach 5c910938c484d023b1300e03" in doc["writes"]["restore_failed"][0]["message"]
    assert sum("altcraft-contract: RESTORE FAILED" in line for line in proc.stdout.splitlines()) == 1
    assert "no more writes in this run: a restore failed" in proc.stdout
    assert "restore-failed" in (tmp_path / "report.html").read_text()


def test_the_write_options_alone_are_one_line_and_65(tmp_path: Path) -> None:
    target = tmp_path / "plain.toml"
    target.write_text(server.target_toml(server.target_for("http://127.0.0.1:9", "v74")).split("[writes]")[0],
                      encoding="utf-8")
    no_table = run_suite("--target", str(target), "--writes", "--reports-dir", str(tmp_path),
                         env={"ALTCRAFT_API_TOKEN": TOKEN})
    assert no_table.returncode == 65 and "has no [writes] table" in no_table.stdout + no_table.stderr
    dry_alone = run_suite("--dry-run", "--reports-dir", str(tmp_path))
    assert dry_alone.returncode == 65 and "add --writes" in dry_alone.stdout + dry_alone.stderr


def test_ctrl_c_during_the_writes_under_two_workers_leaves_the_server_as_it_was(tmp_path: Path) -> None:
    """As a terminal sends it: SIGINT to the whole process group of a `-n 2` run, once the writes
    have begun; each worker restores what its scenario touched."""
    import signal
    import sys
    import time

    from tests.suite import ROOT

    app = server.make_app("v74", "none", Style(), frozenset({TOKEN}), latency_ms=15)
    before = app.store.snapshot()
    with server.LoopbackServer(app) as srv:
        target = tmp_path / "staging.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
        env = {**os.environ, "ALTCRAFT_API_TOKEN": TOKEN}
        proc = subprocess.Popen([sys.executable, "-m", "pytest", "contract_tests/test_writes.py", "-p", "no:cacheprovider",
                                 "-q", "-n", "2", "--target", str(target), "--writes", "--reports-dir", str(tmp_path)],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
        deadline = time.monotonic() + 90
        while app.store.snapshot() == before and time.monotonic() < deadline:
            time.sleep(0.005)
        assert app.store.snapshot() != before, "the writes never began"
        time.sleep(0.1)
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 2, out[-3000:]
        assert app.store.snapshot() == before, out[-3000:]
