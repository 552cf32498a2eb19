"""Running the suite against a hostile server (tests/hostile.py) as a user does, once per test
session: ``shared_run`` makes each named run once (a file lock keeps pytest-xdist workers from
repeating it), and the tests read its outputs, its reports and the server's own record."""

from __future__ import annotations

import fcntl
import json
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests import hostile
from tests.suite import run_suite

VERBOSE = ("-vv", "-l", "--tb=long", "-rA", "--log-level=DEBUG", "-o", "log_cli=true")
# Server text meant to drive a terminal or a CI runner: clear the screen, print a fake summary over
# the line, and issue workflow commands (GitHub Actions, Azure Pipelines).
HOSTILE_TEXT = "\x1b[2J\x1b[H\rFAKE-SUMMARY 63 passed\n::error::pwned\n  ##vso[task.complete result=Succeeded]"
REPORTS = ("results.json", "report.html", "junit.xml")
MB = 1024 * 1024
# Every module and clause family, without the five generated scenarios (a third of a run's requests).
FIXED = ("-k", "not generated")


def canary() -> tuple[str, str]:
    """A distinctive core (hex survives every encoding, so finding it finds any form of the token)
    and the token: the core plus characters that URL-encoding and JSON-escaping change."""
    core = "canary-" + secrets.token_hex(8)
    return core, core + "/+=\\"


# -- one run per session, shared by the tests (and the xdist workers) that read it ----------------

@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _stats(app: hostile.Hostile) -> dict[str, Any]:
    return {"count": app.count, "dropped": getattr(app, "dropped", 0), "refused": getattr(app, "refused", 0),
            "seen": [{"n": s.n, "at": s.at, "ended": s.ended, "st": s.from_schemathesis} for s in app.seen],
            "stalled": [{"n": s.n, "at": s.at, "ended": s.ended} for s in getattr(app, "stalled", [])]}


def _run(app: hostile.Hostile, where: Path, *args: str, env: dict[str, str] | None = None,
         timeout: int = 120) -> dict[str, Any]:
    """The suite against ``app`` on loopback, with every output, the peak memory (KiB, by
    /usr/bin/time) and the server's own record of what it was sent."""
    where.mkdir(parents=True, exist_ok=True)
    rss = where / "rss.txt"
    with hostile.Served(app, where) as srv:
        started = time.monotonic()
        proc = run_suite(*srv.args(), "--reports-dir", str(where), "--junitxml", str(where / "junit.xml"), *args,
                         env={**srv.env(), **(env or {})}, timeout=timeout,
                         wrap=("/usr/bin/time", "-f", "%M", "-o", str(rss)))
        elapsed = time.monotonic() - started
    files = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in where.iterdir()
             if p.name in REPORTS}
    return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr, "elapsed": elapsed,
            "rss_kib": int(rss.read_text().split()[-1]), "files": files,
            "sizes": {name: (where / name).stat().st_size for name in files}, "token": app.token,
            "server": _stats(app)}


@pytest.fixture(scope="session")
def shared_run(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Callable[..., dict[str, Any]]:
    """``shared_run(name, make)``: the result of ``make(directory)``, made once for the session."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if worker_id != "master" else base

    def get(name: str, make: Callable[[Path], dict[str, Any]]) -> dict[str, Any]:
        done = root / f"hostile-{name}.json"
        with _locked(root / f"hostile-{name}.lock"):
            if not done.exists():
                done.write_text(json.dumps(make(root / f"hostile-{name}")), encoding="utf-8")
        return json.loads(done.read_text(encoding="utf-8"))  # type: ignore[no-any-return]

    return get


def outputs(r: dict[str, Any]) -> dict[str, str]:
    return {"stdout": r["stdout"], "stderr": r["stderr"], **r["files"]}


def results(r: dict[str, Any]) -> dict[str, Any]:
    return json.loads(r["files"]["results.json"])  # type: ignore[no-any-return]


def failures_by_clause(doc: dict[str, Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for sc in doc["scenarios"]:
        for f in sc["failures"]:
            out[f["clause"]] = out.get(f["clause"], 0) + 1
    return out


def clause(doc: dict[str, Any], cid: str) -> dict[str, Any]:
    return next(row for row in doc["clauses"] if row["clause"] == cid)


