"""pytest-xdist: a parallel run gives the same verdicts as a serial one, and one merged set of reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.suite import run_suite


def verdicts(directory: Path) -> tuple[dict[str, str], dict[str, str], dict[str, int]]:
    doc = json.loads((directory / "results.json").read_text(encoding="utf-8"))
    return ({c["clause"]: c["result"] for c in doc["clauses"]}, {s["id"]: s["status"] for s in doc["scenarios"]},
            doc["summary"])


@pytest.mark.parametrize("fault", ["none", "top_ascending"])
def test_parallel_run_matches_serial(tmp_path: Path, fault: str) -> None:
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    a = run_suite("--fault", fault, "--hypothesis-seed", "7", "--reports-dir", str(serial))
    b = run_suite("--fault", fault, "--hypothesis-seed", "7", "--reports-dir", str(parallel), "-n", "2")
    assert a.returncode == b.returncode == (0 if fault == "none" else 1), b.stdout[-2000:]
    assert verdicts(serial) == verdicts(parallel)
    assert (parallel / "report.html").is_file() and (parallel / "junit.xml").is_file()
