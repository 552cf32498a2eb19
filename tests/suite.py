"""Running the contract suite as a user does: a pytest subprocess in the repository root."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_suite(*args: str, env: dict[str, str] | None = None, tests: str = "contract_tests",
              timeout: int = 300, wrap: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """``pytest contract_tests --hypothesis-profile quick ARGS`` with a clean token variable (``wrap``:
    a command to run it under, such as ``/usr/bin/time -f %M -o FILE``)."""
    environ = {k: v for k, v in os.environ.items() if k != "ALTCRAFT_API_TOKEN"}
    environ.update(env or {})
    with tempfile.TemporaryDirectory(prefix="suite-reports-") as spare:
        # Never the checkout's reports/: tests run side by side under xdist, and a user's reports stay theirs.
        where = [] if any(a.startswith("--reports-dir") for a in args) else ["--reports-dir", spare]
        return subprocess.run([*wrap, sys.executable, "-m", "pytest", tests, "-p", "no:cacheprovider", "-q",
                               "--hypothesis-profile", "quick", *where, *args],
                              cwd=ROOT, env=environ, capture_output=True, text=True, timeout=timeout, check=False)
