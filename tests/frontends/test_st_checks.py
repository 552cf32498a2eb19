"""The schemathesis module passes on the reference endpoint and catches the faults it can see."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ALTCRAFT_API_TOKEN"}
    return subprocess.run([sys.executable, "-m", "pytest", "contract_tests/test_schemathesis.py", "-q",
                           "-p", "no:cacheprovider", "--hypothesis-profile", "quick", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("transport", ["loopback", "inprocess"])
def test_passes_on_the_reference_endpoint(transport: str) -> None:
    proc = run_module("--transport", transport)
    assert proc.returncode == 0, proc.stdout[-3000:]


@pytest.mark.parametrize(("fault", "words"), [("xxh_seed_1", "(D2)"), ("error_as_string", "(E1)")])
def test_catches_what_it_can_see(fault: str, words: str) -> None:
    proc = run_module("--fault", fault)
    assert proc.returncode == 1 and words in proc.stdout, proc.stdout[-3000:]
