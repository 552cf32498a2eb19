"""The one gate every request of a run passes, whoever sends it (the suite's client, schemathesis,
baselines, probes): the request budget, the rate limit, the timeout, 429/Retry-After, a bounded
read of the answer and a stop on Ctrl-C.

The target is untrusted: an answer is read as a stream up to ``max_answer_bytes`` and within
``timeout`` seconds in all (a body that never ends, or trickles, cannot hold the run), so memory
and time stay bounded whatever it sends.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import math
import threading
import time
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from .problems import BudgetExhausted, NotRun, TransportProblem
from .ratelimit import RateLimiter, RequestCounter
from .redact import cut, redact

DEFAULT_MAX_ANSWER_BYTES = 4 * 1024 * 1024
MAX_RETRY_AFTER = 30.0
MAX_WAIT_429 = 120.0  # seconds a whole run spends honouring Retry-After
TRUNCATED_HEADER = "x-altcraft-contract-truncated"  # set on a requests answer the gate cut short


# The requests of one scenario, wherever they are sent from (its thread, or the threads that
# ``Session.expect_all`` hands its independent calls to, which run in a copy of its context).
_SCOPE: ContextVar[list[int] | None] = ContextVar("altcraft_requests", default=None)
# Set while the suite restores what its writes changed (S3): those requests pass a closed gate
# (Ctrl-C) and a spent budget, since leaving a shared staging changed is worse than a few more.
RESTORING: ContextVar[bool] = ContextVar("altcraft_restoring", default=False)


def count_requests() -> list[int]:
    """Start counting the requests admitted in this context; the list's one item is the count."""
    counter = [0]
    _SCOPE.set(counter)
    return counter


@dataclass
class Bounded:
    """An answer body as far as the gate read it."""

    body: bytes
    size: int  # bytes read (the body's full length unless ``truncated``)
    truncated: bool


class AnswerTooSlow(TransportProblem):
    def __init__(self, seconds: float, size: int) -> None:
        super().__init__("timeout", f"the answer did not end within {seconds:g} s ({size} bytes read)")


def _return_large_buffers_to_the_system() -> None:
    """glibc serves a freed large buffer's size from its heaps next time (its mmap threshold grows
    up to 32 MiB), and every thread has heaps of its own: with scenarios in threads, a hostile
    target's megabyte answers would stay resident per thread. A fixed threshold keeps buffers of
    256 KiB and more in mappings that are returned when freed."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(-3, 256 * 1024)  # M_MMAP_THRESHOLD (fixing it also stops its growth)
    except (OSError, AttributeError):  # not glibc: nothing to tune
        pass


_return_large_buffers_to_the_system()
LARGE_ANSWER = 1024 * 1024
# One large answer read at a time: concurrent scenarios each hold at most LARGE_ANSWER bytes while a
# hostile target sends megabytes to all of them, so memory stays bounded at any --concurrency.
_LARGE_READ = threading.Lock()


def read_bounded(chunks: Iterable[bytes], limit: int, deadline: float, timeout: float) -> Bounded:
    """Read ``chunks`` until they end, ``limit`` bytes are read, or ``deadline`` passes (a timeout)."""
    kept = bytearray()
    size = 0
    large = False
    try:
        for chunk in chunks:
            size += len(chunk)
            if not large and size > LARGE_ANSWER:
                large = _LARGE_READ.acquire(timeout=max(0.0, deadline - time.monotonic()))
                if not large:
                    raise AnswerTooSlow(timeout, size)
            if size > limit:
                kept += chunk[: max(0, limit - (size - len(chunk)))]
                return Bounded(bytes(kept), size, True)
            kept += chunk
            if time.monotonic() > deadline:
                raise AnswerTooSlow(timeout, size)
        return Bounded(bytes(kept), size, False)
    finally:
        if large:
            _LARGE_READ.release()


def retry_after(status: int, headers: Mapping[str, str]) -> float | None:
    """Seconds to wait before retrying a 429 (Retry-After in seconds or as an HTTP date), else None."""
    if status != 429:
        return None
    value = str(headers.get("Retry-After", "1")).strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - time.time()
        except (TypeError, ValueError):
            seconds = 1.0
    if math.isnan(seconds):
        seconds = 1.0
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class Gate:
    """Admission for every request of a run (all threads; all processes through ``shared_dir``)."""

    def __init__(self, *, max_rps: float | None = None, budget: int | None = None, timeout: float = 10.0,
                 max_answer_bytes: int = DEFAULT_MAX_ANSWER_BYTES, shared_dir: str | None = None,
                 max_retries_429: int = 3) -> None:
        self.limiter = RateLimiter(max_rps, shared_dir) if max_rps else None
        self.counter = RequestCounter(shared_dir)
        self.budget = budget
        self.timeout = timeout
        self.max_answer_bytes = max_answer_bytes
        self.max_retries_429 = max_retries_429
        self.sent = 0  # by this process
        self.waited_429 = 0.0
        self.budget_spent = False
        self.stopped: str | None = None  # set on Ctrl-C or a fatal verdict: nothing more is sent
        self._lock = threading.Lock()

    def admit(self) -> int:
        """Wait for a slot and return the request's place in send order (this process); raise
        BudgetExhausted (or NotRun once stopped) instead of sending."""
        restoring = RESTORING.get()
        if self.stopped and not restoring:
            raise NotRun(self.stopped)
        if not self.counter.take(None if restoring else self.budget):
            self.budget_spent = True
            raise BudgetExhausted(f"the request budget of {self.budget} is spent")
        with self._lock:
            self.sent += 1
            seq = self.sent
            counter = _SCOPE.get()
            if counter is not None:
                counter[0] += 1
        if self.limiter is not None:
            self.limiter.wait()
        return seq

    def may_wait(self, seconds: float) -> bool:
        """Whether a 429's Retry-After may still be honoured: a run waits at most MAX_WAIT_429 in all,
        so a target that answers 429 to everything cannot hold the run for hours."""
        return self.waited_429 + seconds <= MAX_WAIT_429

    def backoff(self, seconds: float) -> None:
        with self._lock:
            self.waited_429 += seconds
        time.sleep(seconds)

    def deadline(self) -> float:
        return time.monotonic() + self.timeout


class GateAdapter(HTTPAdapter):
    """Puts a ``requests`` sender (schemathesis) behind the gate: budget, rate, timeout, 429 and a
    bounded read. An answer cut at the limit carries TRUNCATED_HEADER with the bytes read."""

    def __init__(self, gate: Gate) -> None:
        super().__init__(max_retries=0)
        self.gate = gate

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        for attempt in range(self.gate.max_retries_429 + 1):
            seq = self.gate.admit()
            deadline = self.gate.deadline()
            try:
                resp = super().send(request, stream=True, timeout=self.gate.timeout, verify=verify, cert=cert,
                                    proxies=proxies)
                try:
                    got = read_bounded(resp.iter_content(65536), self.gate.max_answer_bytes, deadline,
                                       self.gate.timeout)
                finally:
                    resp.close()
            except Exception as exc:
                exc.altcraft_seq = seq  # type: ignore[attr-defined]  # for the "unreachable" streak
                raise
            resp._content = got.body  # what requests would hold after reading it all
            resp._content_consumed = True
            if got.truncated:
                resp.headers[TRUNCATED_HEADER] = str(got.size)
            if resp.status_code in GATEWAY_STATUSES and not _looks_like_envelope(got.body):
                raise TransportProblem("gateway", f"HTTP {resp.status_code} from a proxy or gateway, not an envelope "
                                                  f"({request.method} {request.url})")
            delay = retry_after(resp.status_code, resp.headers)
            if delay is None:
                return resp
            if attempt == self.gate.max_retries_429 or not self.gate.may_wait(delay):
                raise TransportProblem("rate limited", f"HTTP 429 after {request.method} {request.url} was retried "
                                                       "as the target asked (lower --max-rps)")
            self.gate.backoff(delay)
        raise AssertionError("unreachable")  # pragma: no cover


GATEWAY_STATUSES = (502, 503, 504)


def _looks_like_envelope(body: bytes) -> bool:
    """Whether a 502/503/504 carries an envelope (the target's own answer) rather than a proxy page."""
    head = body.lstrip()[:1]
    if head == b"{":
        try:
            return isinstance(json.loads(body), dict)
        except ValueError:
            return False
    return head == b"<" and b"<error>" in body


def classify(exc: BaseException) -> TransportProblem:
    """A ``requests``/urllib3 failure as the TRANSPORT problem it is (its text redacted)."""
    if isinstance(exc, TransportProblem):
        return exc
    name = type(exc).__name__
    if isinstance(exc, requests.exceptions.Timeout):
        kind = "timeout"
    elif isinstance(exc, requests.exceptions.ConnectionError) and "refused" in str(exc).lower():
        kind = "connection refused"
    elif isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.ChunkedEncodingError):
        kind = "connection reset or truncated body"
    else:
        kind = "transport error"
    return TransportProblem(kind, redact(cut(f"{name}: {exc}", 500)))


def requests_session(gate: Gate) -> requests.Session:
    """A requests session whose every request passes ``gate``."""
    session = requests.Session()
    adapter = GateAdapter(gate)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
