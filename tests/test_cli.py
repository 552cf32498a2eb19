"""The suite as a user runs it: a subprocess pytest, its exit statuses and its one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def suite(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "ALTCRAFT_API_TOKEN"}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "pytest", "contract_tests", "-p", "no:cacheprovider", "-q",
                           "--hypothesis-profile", "quick", *args],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize(("args", "env", "status", "words"), [
    (["--target", "missing.toml"], {}, 66, "does not exist"),
    (["--target", "targets/example.toml"], {}, 78, "ALTCRAFT_API_TOKEN is not set"),
    (["--target", "targets/example.toml", "--base-url", "http://127.0.0.1:9"], {"ALTCRAFT_API_TOKEN": "x"}, 69,
     "unreachable"),
    (["--fault", "no_such_fault"], {}, 65, "unknown fault"),
])
def test_bad_input_gives_one_line_and_its_own_status(args: list[str], env: dict[str, str], status: int,
                                                     words: str) -> None:
    proc = suite(*args, env=env)
    assert proc.returncode == status, proc.stdout + proc.stderr
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    assert len(lines) == 1 and words in lines[0], lines
    assert "Traceback" not in proc.stderr


def test_suite_passes_in_process_and_fails_with_the_clause_named() -> None:
    ok = suite("--transport", "inprocess")
    assert ok.returncode == 0, ok.stdout[-3000:]
    bad = suite("--fault", "xxh_seed_1")
    assert bad.returncode == 1
    assert "[D2] profile_xxh is not xxHash64(profile_id)" in bad.stdout
    assert "Reproduce with: curl" in bad.stdout
