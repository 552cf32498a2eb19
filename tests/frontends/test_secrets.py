"""A canary token never appears in anything the suite prints or writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.suite import run_suite

CANARY = "canary-7f3a9c1e5b2d4f60"


@pytest.mark.parametrize("fault", ["bearer_token_mismatch", "xxh_seed_1", "any_token_accepted"])
def test_canary_token_is_nowhere_in_the_output(tmp_path: Path, fault: str) -> None:
    proc = run_suite("-v", "--fault", fault, "--reports-dir", str(tmp_path), "--junitxml", str(tmp_path / "junit.xml"),
                     "--hypothesis-show-statistics", "--record-baseline", str(tmp_path / "baseline.json"),
                     env={"ALTCRAFT_API_TOKEN": CANARY})
    assert proc.returncode == 1, proc.stdout[-2000:]  # the fault was caught, so failures were printed
    assert "Reproduce with: curl" in proc.stdout
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    outputs.update({p.name: p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.iterdir()})
    assert {"results.json", "report.html", "junit.xml", "baseline.json"} <= set(outputs)
    leaked = [name for name, text in outputs.items() if CANARY in text]
    assert leaked == []


def test_tokens_derived_from_the_canary_are_nowhere_in_the_output(tmp_path: Path) -> None:
    from altcraft_contract.contract.calls import Auth
    from altcraft_contract.wire.client import derived_token

    proc = run_suite("-v", "--fault", "token_prefix_accepted", "--reports-dir", str(tmp_path),
                     "-k", "token", env={"ALTCRAFT_API_TOKEN": CANARY})
    assert proc.returncode == 1, proc.stdout[-2000:]
    derived = [derived_token(a, CANARY) for a in (Auth.BODY_SAME_SHAPE, Auth.BODY_LAST_CHANGED, Auth.BODY_PREFIX)]
    texts = [proc.stdout, proc.stderr] + [p.read_text(encoding="utf-8") for p in tmp_path.iterdir() if p.is_file()]
    assert not [d for d in derived for text in texts if d in text]


def test_canary_token_is_nowhere_in_a_stopped_runs_outputs(tmp_path: Path) -> None:
    """A run that stops before it starts writes its own reports (JUnit too) and one line."""
    proc = run_suite("--target", "targets/example.toml", "--base-url", "http://127.0.0.1:9", "--reports-dir",
                     str(tmp_path), env={"ALTCRAFT_API_TOKEN": CANARY})
    assert proc.returncode == 69, proc.stdout + proc.stderr
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    outputs.update({p.name: p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.iterdir()})
    assert {"results.json", "report.html", "junit.xml"} <= set(outputs)
    assert [name for name, text in outputs.items() if CANARY in text] == []
