"""The Hypothesis profile a run uses is the one the user chose, whatever the environment.

Hypothesis loads its own ``ci`` profile whenever ``CI`` is set (every CI service sets it), and its
pytest plugin applies ``--hypothesis-profile`` only after our plugin has configured: both once led
the suite to use a profile nobody asked for.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from altcraft_contract.errors import SuiteInputError
from altcraft_contract.run import profiles
from tests.suite import ROOT, run_suite

ONE_TEST = ["-k", "documented"]


def _profile_used(tmp_path: Path) -> str:
    return str(json.loads((tmp_path / "results.json").read_text())["hypothesis"]["profile"])


@pytest.mark.parametrize("ci", ["", "true"])
def test_the_chosen_profile_is_used_with_a_target_file(tmp_path: Path, ci: str) -> None:
    from altcraft_contract.reference import server

    token = "profile-test-token"
    with server.LoopbackServer(server.make_app(tokens=frozenset({token}))) as srv:
        target = tmp_path / "t.toml"
        target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), *ONE_TEST,
                         env={"ALTCRAFT_API_TOKEN": token, "CI": ci})
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert _profile_used(tmp_path) == "quick"


def test_without_a_choice_our_default_is_used_even_under_ci(tmp_path: Path) -> None:
    environ = {"CI": "true", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "contract_tests", "-p", "no:cacheprovider", "-q",
                           "--reports-dir", str(tmp_path), *ONE_TEST],
                          cwd=ROOT, env=environ, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert _profile_used(tmp_path) == "default"


def test_an_unknown_profile_is_one_line_and_status_65() -> None:
    proc = run_suite("--hypothesis-profile", "no-such-profile")
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    assert proc.returncode == 65, lines
    assert len(lines) == 1 and "unknown Hypothesis profile 'no-such-profile'" in lines[0], lines


def test_resolve_and_forced_settings() -> None:
    assert profiles.resolve(None) == "default"
    assert profiles.resolve("thorough") == "thorough"
    assert profiles.resolve("ci") == "ci"  # Hypothesis' own, accepted: a user may ask for it
    forced = profiles.settings_for("ci")
    assert forced.deadline is None and forced.database is None
    assert forced.max_examples == profiles.settings_for("ci").max_examples
    with pytest.raises(SuiteInputError, match="no-such"):
        profiles.resolve("no-such")
