"""Safe runs against staging: a shared rate limit, 429 and Retry-After, a request budget, and
transport problems kept apart from contract failures (one "unreachable" verdict for a dead target)."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from werkzeug.wrappers import Response

from altcraft_contract.contract.calls import Call, Expect
from altcraft_contract.reference import server
from altcraft_contract.wire.client import Client
from altcraft_contract.wire.problems import BudgetExhausted
from altcraft_contract.wire.ratelimit import RateLimiter
from tests.suite import ROOT, run_suite

TOKEN = "safety-token"


def test_rate_limit_spaces_requests(tmp_path: Path) -> None:
    limiter = RateLimiter(20, str(tmp_path))
    started = time.perf_counter()
    for _ in range(11):
        limiter.wait()
    assert time.perf_counter() - started >= 10 / 20 * 0.95


def test_rate_limit_is_shared_across_processes(tmp_path: Path) -> None:
    code = ("import time; from altcraft_contract.wire.ratelimit import RateLimiter; "
            f"r = RateLimiter(20, {str(tmp_path)!r})\n"
            "for _ in range(10):\n    r.wait(); print(r.last_slot, time.time())")
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    rows = [line.split() for p in procs for line in p.communicate(timeout=60)[0].splitlines()]
    slots, sent = sorted(float(r[0]) for r in rows), sorted(float(r[1]) for r in rows)
    assert len(slots) == 20
    # 20 per second between both processes: the slots handed out under the lock are 50 ms apart.
    # (Wall-clock send times can bunch when a loaded machine wakes one process late, so they are
    # only held to the whole run's length.)
    gaps = [b - a for a, b in itertools.pairwise(slots)]
    assert min(gaps) >= 0.05 - 1e-6, gaps
    assert sent[-1] - sent[0] >= 19 * 0.05 * 0.8
    assert all(t >= s - 0.005 for s, t in zip(sorted(slots), sorted(sent), strict=True))


class Flaky:
    """A WSGI app: the first ``n`` requests get ``reply``, then the reference endpoint answers."""

    def __init__(self, n: int, reply: Response) -> None:
        self.n, self.reply, self.inner = n, reply, server.make_app(tokens=frozenset({TOKEN}))
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.lock:
            self.n -= 1
            hit = self.n >= 0
        return (self.reply if hit else self.inner)(environ, start_response)


def test_429_with_retry_after_is_honoured() -> None:
    app = Flaky(2, Response("slow down", status=429, headers={"Retry-After": "0.2"}))
    client = Client("http://t", TOKEN, "ALTCRAFT_API_TOKEN", transport=httpx.WSGITransport(app=app))
    call = Call.of({"rel_id": 3, "matching": "profile_id", "profile_id": "5c910f6bc484d023b1309bee"})
    ex = client.send(call, Expect.success("M2", None))
    assert ex.status == 200 and ex.ok and client.sent == 3 and client.waited_429 == pytest.approx(0.4)


def test_request_budget_stops_sending() -> None:
    client = Client("http://t", TOKEN, "ALTCRAFT_API_TOKEN", budget=1,
                    transport=httpx.WSGITransport(app=server.make_app(tokens=frozenset({TOKEN}))))
    call = Call.of({"rel_id": 3, "matching": "profile_id", "profile_id": "5c910f6bc484d023b1309bee"})
    client.send(call, Expect.anything("T1"))
    with pytest.raises(BudgetExhausted):
        client.send(call, Expect.anything("T1"))


def _target_file(tmp_path: Path, base_url: str) -> Path:
    text = server.target_toml(server.target_for(base_url, "v74"))
    path = tmp_path / "t.toml"
    path.write_text(text, encoding="utf-8")
    return path


GATEWAY = Response("<html><body><h1>502 Bad Gateway</h1></body></html>", status=502, content_type="text/html")


def test_a_proxy_502_at_start_is_one_unreachable_line(tmp_path: Path) -> None:
    with server.LoopbackServer(Flaky(10**6, GATEWAY)) as srv:  # type: ignore[arg-type]
        proc = run_suite("--target", str(_target_file(tmp_path, srv.base_url)), env={"ALTCRAFT_API_TOKEN": TOKEN})
    lines = [ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.strip()]
    assert proc.returncode == 69 and len(lines) == 1 and "unreachable" in lines[0] and "gateway" in lines[0]


class DiesAfter:
    """The reference endpoint behind a proxy that answers HTML 502 after ``n`` requests."""

    def __init__(self, n: int) -> None:
        self.n, self.inner = n, server.make_app(tokens=frozenset({TOKEN}))
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self.lock:
            self.n -= 1
            alive = self.n >= 0
        return (self.inner if alive else GATEWAY)(environ, start_response)


def test_a_target_that_goes_down_gets_one_verdict_not_many_failures(tmp_path: Path) -> None:
    with server.LoopbackServer(DiesAfter(40)) as srv:  # type: ignore[arg-type]
        proc = run_suite("--target", str(_target_file(tmp_path, srv.base_url)), "--reports-dir", str(tmp_path),
                         env={"ALTCRAFT_API_TOKEN": TOKEN})
    assert proc.returncode == 69, proc.stdout[-3000:]
    # Only the problems that proved it down are reported: the streak of three, and the scenarios
    # already in flight beside them (at most --concurrency, 8); every one of them as TRANSPORT.
    # (pytest repeats each message in its summary, truncated or not depending on $CI, so count
    # failed tests rather than message lines.)
    failed = re.search(r"(\d+) failed", proc.stdout.splitlines()[-1])
    assert failed is not None and int(failed.group(1)) <= 3 + 8, proc.stdout.splitlines()[-1]
    cards = re.findall(r"^_+ (test_\S+.*?) _+\n(.*)$", proc.stdout, re.MULTILINE)
    assert len(cards) == int(failed.group(1)) and all(m.startswith("TRANSPORT (not a contract failure)")
                                                     for _, m in cards), cards
    verdicts = [ln for ln in proc.stdout.splitlines() if "stopped answering" in ln]
    assert len(verdicts) == 1 and verdicts[0].startswith("altcraft-contract: STOPPED (exit 69): the target")
    assert verdicts[0] == proc.stdout.splitlines()[-1]  # said once, as the last line
    assert "[E" not in proc.stdout and "[R6]" not in proc.stdout  # no contract failure blamed on the proxy
    assert "not run: the target is unreachable" in proc.stdout or "skipped" in proc.stdout
