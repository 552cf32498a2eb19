"""A canary token never appears in anything the suite prints or writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CANARY = "canary-7f3a9c1e5b2d4f60"


@pytest.mark.parametrize("fault", ["bearer_token_mismatch", "xxh_seed_1", "any_token_accepted"])
def test_canary_token_is_nowhere_in_the_output(tmp_path: Path, fault: str) -> None:
    env = {**os.environ, "ALTCRAFT_API_TOKEN": CANARY}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "contract_tests", "-p", "no:cacheprovider", "-v", "--hypothesis-profile",
         "quick", "--fault", fault, "--reports-dir", str(tmp_path), "--junitxml", str(tmp_path / "junit.xml"),
         "--hypothesis-show-statistics"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 1, proc.stdout[-2000:]  # the fault was caught, so failures were printed
    assert "Reproduce with: curl" in proc.stdout
    outputs = {"stdout": proc.stdout, "stderr": proc.stderr}
    outputs.update({p.name: p.read_text(encoding="utf-8", errors="replace") for p in tmp_path.iterdir()})
    assert len(outputs) >= 4
    leaked = [name for name, text in outputs.items() if CANARY in text]
    assert leaked == []
