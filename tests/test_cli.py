"""The suite as a user runs it: a subprocess pytest, its exit statuses and its one-line errors."""

from __future__ import annotations

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
