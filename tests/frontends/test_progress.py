"""Progress on long runs (frontends/progress.py): a quiet line per interval in a log, one line
rewritten in place on a terminal, nothing for a short run, never the token."""

from __future__ import annotations

import io
import re

import pytest

from altcraft_contract.frontends.progress import ERASE, LineKeeper, duration, line
from tests.suite import run_suite

CANARY = "canary-progress-3d9f0b6e71"
PROGRESS = re.compile(r"^altcraft-contract: \d+ requests sent, [\d.]+/s, \d+s elapsed", re.M)


def test_a_run_longer_than_the_interval_prints_quiet_lines_without_the_token(tmp_path: str) -> None:
    proc = run_suite("--endpoint", "get_counter", "-k", "not schemathesis", "--reference-latency-ms", "3",
                     "--reports-dir", str(tmp_path), env={"ALTCRAFT_PROGRESS_INTERVAL": "0.3", "ALTCRAFT_API_TOKEN": CANARY})
    assert proc.returncode == 0, proc.stdout[-3000:]
    shown = PROGRESS.findall(proc.stdout)
    assert len(shown) >= 2, proc.stdout[:3000]
    assert CANARY not in proc.stdout + proc.stderr
    assert "\r" not in proc.stdout  # not a terminal: whole lines only


def test_a_short_run_prints_no_progress(tmp_path: str) -> None:
    proc = run_suite("--endpoint", "get_counter", "-k", "unknown and rel_id", "--reports-dir", str(tmp_path))
    assert proc.returncode == 0 and not PROGRESS.search(proc.stdout), proc.stdout[-2000:]


def test_the_line_gives_requests_of_the_budget_rate_elapsed_and_an_estimate() -> None:
    assert line(300, 1000, 60.0, 10, 40) == ("altcraft-contract: 300 requests sent of a budget of 1000, 5.0/s, "
                                             "1m00s elapsed, about 2m20s left, 10 of 40 tests done")
    # The budget bounds the estimate: 700 requests left at 5/s.
    assert "about 2m20s left" in line(300, 1000, 60.0, 1, 40)
    assert duration(3725) == "1h02m" and duration(7) == "7s"


def test_the_terminal_line_gives_pytests_unfinished_line_back() -> None:
    out = io.StringIO()
    keeper = LineKeeper(out, "")  # type: ignore[arg-type]
    keeper.write("tests ...")
    keeper.show("altcraft-contract: 5 requests sent" + "x" * 200, 40)
    keeper.write("..\n")
    keeper.write("done\n")
    text = out.getvalue()
    assert text == "tests ..." + ERASE + "altcraft-contract: 5 requests sentxxxxx" + ERASE + "tests .....\ndone\n"


@pytest.mark.parametrize("workers", [(), ("-n", "2")], ids=["one process", "-n 2"])
def test_one_long_item_still_gets_its_quiet_lines(tmp_path: str, workers: tuple[str, ...]) -> None:
    """One item of about 2.5 s (16 requests 150 ms away) with a 0.3 s interval: lines during the
    item itself (drawn by the waiting test in one process, by the controller's clock under xdist),
    each a whole line, none inside pytest's dots."""
    proc = run_suite("--endpoint", "get_counter", "-k", "M2 and generated", "--reference-latency-ms", "150",
                     "--reports-dir", str(tmp_path), *workers, env={"ALTCRAFT_PROGRESS_INTERVAL": "0.3"})
    assert proc.returncode == 0, proc.stdout[-3000:]
    during = PROGRESS.findall(proc.stdout)
    assert len(during) >= 3, proc.stdout[:3000]
    assert "0 of 1 tests done" in proc.stdout  # drawn before the only item ended
    # Whole lines: never inside one of pytest's (its dots and "[100%]" may be split across them).
    assert "\r" not in proc.stdout and all(ln.startswith("altcraft-contract: ") or "altcraft-contract: " not in ln
                                            for ln in proc.stdout.splitlines()), proc.stdout[:3000]
