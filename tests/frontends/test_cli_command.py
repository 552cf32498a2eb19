"""The ``altcraft-contract`` command and the preflight as a user meets them: subprocesses, exit
statuses, one-line stops with their reports, and output that survives ``| head``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from altcraft_contract.reference import data, server
from altcraft_contract.reference.server import LoopbackServer
from tests.frontends.test_init import ENV, command
from tests.suite import ROOT, run_suite

REAL = "the-real-token-9c41ab"
WRONG = "a-rotated-token-77e0d2"


@contextmanager
def staging(tmp_path: Path, edit: tuple[str, str] | None = None) -> Iterator[Path]:
    """A loopback reference endpoint that accepts REAL, and a target file for it."""
    with LoopbackServer(server.make_app(tokens=frozenset({REAL}))) as srv:
        text = server.target_toml(server.target_for(srv.base_url, "v74"))
        if edit:
            text = text.replace(*edit)
        path = tmp_path / "staging.toml"
        path.write_text(text, encoding="utf-8")
        yield path


def lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]


def test_a_wrong_token_stops_the_run_in_one_line_with_77(tmp_path: Path) -> None:
    """Before the preflight: 104 failed, 36 passed and about 650 lines blamed on 15 clauses."""
    reports = tmp_path / "reports"
    with staging(tmp_path) as target:
        proc = run_suite("--target", str(target), "--reports-dir", str(reports), env={ENV: WRONG})
    assert proc.returncode == 77, proc.stdout[-3000:]
    (line,) = lines(proc)
    assert f"refused the token in {ENV}: /api/v1.1/relations/get_counter answered HTTP 200, error 403 " \
           "'No access rights'" in line
    doc = json.loads((reports / "results.json").read_text("utf-8"))
    assert doc["stopped"]["exit_status"] == 77 and "refused the token" in doc["stopped"]["reason"]
    assert doc["preflight"]["reads"][0]["verdict"] == "refused"
    assert "STOPPED" in (reports / "report.html").read_text("utf-8")
    assert WRONG not in proc.stdout + proc.stderr + (reports / "results.json").read_text("utf-8")


def test_an_unknown_profile_stops_with_67_and_skip_preflight_runs_the_scenarios(tmp_path: Path) -> None:
    typo = data.A2[:-1] + "8"
    with staging(tmp_path, (data.A2, typo)) as target:
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), env={ENV: REAL})
        skipped = run_suite("--target", str(target), "--reports-dir", str(tmp_path), "--skip-preflight",
                            "--endpoint", "get_counter", "-k", "M2 and not schemathesis", env={ENV: REAL})
    assert proc.returncode == 67, proc.stdout[-3000:]
    (line,) = lines(proc)
    assert f"does not know profile {typo} of [[data.profiles]]" in line and str(target) in line
    assert skipped.returncode == 1 and "[M2]" in skipped.stdout, skipped.stdout[-3000:]
    assert json.loads((tmp_path / "results.json").read_text("utf-8"))["preflight"]["ran"] is False


def test_a_passing_preflight_is_shown_in_the_terminal_and_the_results(tmp_path: Path) -> None:
    with staging(tmp_path) as target:
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), "--endpoint", "get_counter",
                         "-k", "unknown and rel_id", env={ENV: REAL})
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert f"altcraft-contract: preflight: 4 read(s) with the token in {ENV}: accepted; 4 of 4 profile(s)" in proc.stdout
    doc = json.loads((tmp_path / "results.json").read_text("utf-8"))
    assert [r["verdict"] for r in doc["preflight"]["reads"]] == ["found"] * 4
    assert doc["requests"] >= 4  # the preflight's reads count in the run's requests


def test_check_is_the_preflight_alone(tmp_path: Path) -> None:
    with staging(tmp_path) as target:
        ok = command("check", "--target", str(target), "--writes", token=REAL)
        refused = command("check", "--target", str(target), token=WRONG)
        missing = command("check", token=REAL)
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    assert ok.stdout.count("\n") == 1 and "preflight: 10 read(s)" in ok.stdout and "[writes] profile_a found" in ok.stdout
    assert refused.returncode == 77 and len(lines(refused)) == 1 and WRONG not in refused.stderr
    assert missing.returncode == 65 and lines(missing) == [
        "altcraft-contract: check: the following arguments are required: --target; see altcraft-contract check --help"]


def test_faults_survive_a_reader_that_stops_early() -> None:
    for args in (["-m", "altcraft_contract", "faults"], ["-m", "altcraft_contract.reference", "--list-faults"]):
        proc = subprocess.run(f"{sys.executable} {' '.join(args)} | head -1", shell=True, cwd=ROOT, capture_output=True,
                              text=True, timeout=60, check=False)
        assert proc.stdout.count("\n") == 1 and proc.stderr == "", proc.stderr
    d2 = command("faults", "--clause", "D2")
    assert d2.returncode == 0 and " ".join(d2.stdout.split()) == "D2 xxh_seed_1 hashes profile_id with seed 1"
    assert command("faults", "--clause", "Q9").returncode == 65


def test_run_passes_options_and_exit_status_through() -> None:
    proc = command("run", "--fault", "no_such_fault")
    assert proc.returncode == 65 and "unknown fault 'no_such_fault'" in proc.stderr


def test_serve_starts_the_reference_endpoint() -> None:
    env = {**os.environ, "ALTCRAFT_API_TOKEN": REAL}
    with subprocess.Popen([sys.executable, "-m", "altcraft_contract", "serve", "--port", "0"], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            first = [proc.stdout.readline() for _ in range(3)]
        finally:
            proc.kill()
    assert first[0].startswith("# target file for this server") and first[2].startswith('base_url = "http://127.0.0.1:')


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "altcraft-contract"
    assert script.is_file(), "pyproject.toml's [project.scripts]: reinstall with pip install -e ."
    proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0 and "{init,check,run,serve,faults}" in proc.stdout


def test_every_exit_status_is_in_the_readme_table() -> None:
    from altcraft_contract.errors import EXIT_STATUSES

    readme = (ROOT / "README.md").read_text("utf-8")
    assert [s for s in sorted(set(EXIT_STATUSES.values())) if f"\n| {s} |" not in readme] == []
