"""The gate: bounded reads, a budget shared by processes, 429 limits, and schemathesis' sender behind it."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from werkzeug.wrappers import Request, Response

from altcraft_contract.reference import server
from altcraft_contract.wire.gate import TRUNCATED_HEADER, AnswerTooSlow, Gate, read_bounded, requests_session, retry_after
from altcraft_contract.wire.problems import BudgetExhausted, TransportProblem
from tests.suite import ROOT


def test_a_long_answer_is_cut_at_the_limit_with_the_size_read() -> None:
    got = read_bounded(iter([b"a" * 600, b"b" * 600]), 1000, time.monotonic() + 5, 5)
    assert got.truncated and got.body == b"a" * 600 + b"b" * 400 and got.size == 1200


def test_an_endless_trickle_ends_at_the_deadline() -> None:
    def trickle():
        while True:
            time.sleep(0.05)
            yield b"x"
    started = time.monotonic()
    with pytest.raises(AnswerTooSlow):
        read_bounded(trickle(), 10**9, started + 0.3, 0.3)
    assert time.monotonic() - started < 2


def test_the_budget_is_shared_by_processes(tmp_path: Path) -> None:
    code = ("from altcraft_contract.wire.gate import Gate\n"
            f"g = Gate(budget=25, shared_dir={str(tmp_path)!r})\nn = 0\n"
            "try:\n    while True:\n        g.admit(); n += 1\nexcept Exception:\n    print(n)")
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    counts = [int(p.communicate(timeout=60)[0]) for p in procs]
    assert sum(counts) == 25, counts


def test_threads_never_exceed_the_budget() -> None:
    gate, admitted = Gate(budget=40), []

    def spend() -> None:
        try:
            while True:
                gate.admit()
                admitted.append(1)
        except BudgetExhausted:
            pass
    threads = [threading.Thread(target=spend) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(admitted) == 40 and gate.budget_spent


def test_retry_after_is_bounded_and_read_in_both_forms() -> None:
    assert retry_after(429, {"Retry-After": "3"}) == 3
    assert retry_after(429, {"Retry-After": "99999"}) == 30
    assert retry_after(429, {"Retry-After": "nan"}) == 1
    assert retry_after(429, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0
    assert retry_after(200, {}) is None
    assert not Gate().may_wait(121)


def _serve(app):  # type: ignore[no-untyped-def]
    return server.LoopbackServer(app)  # type: ignore[arg-type]


def test_the_requests_sender_is_bounded_and_counted() -> None:
    def big(environ, start_response):  # type: ignore[no-untyped-def]
        Request(environ).get_data()
        return Response(b"{" + b"x" * 300_000, content_type="application/json")(environ, start_response)
    gate = Gate(budget=2, max_answer_bytes=1000)
    with _serve(big) as srv:
        session = requests_session(gate)
        resp = session.post(srv.base_url + "/x", data=b"{}")
        assert len(resp.content) == 1000 and int(resp.headers[TRUNCATED_HEADER]) > 1000
        session.post(srv.base_url + "/x", data=b"{}")
        with pytest.raises(BudgetExhausted):
            session.post(srv.base_url + "/x", data=b"{}")


def test_a_proxy_page_through_the_requests_sender_is_transport() -> None:
    def gateway(environ, start_response):  # type: ignore[no-untyped-def]
        return Response("<html>502 Bad Gateway</html>", status=502, content_type="text/html")(environ, start_response)
    with _serve(gateway) as srv, pytest.raises(TransportProblem, match="gateway"):
        requests_session(Gate()).post(srv.base_url + "/x", data=b"{}")
