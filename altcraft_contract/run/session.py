"""A run against one target: sends calls, runs the checks, applies waivers, keeps the tallies."""

from __future__ import annotations

import contextvars
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, seed
from hypothesis.strategies import SearchStrategy

from .. import endpoints
from ..checks.all import REGISTRY, run_checks
from ..checks.failures import ContractViolation, Failure
from ..contract import schemas
from ..contract.calls import Call, Expect
from ..contract.target import Target
from ..wire import gate
from ..wire.client import Client, Exchange
from ..wire.problems import NotRun, TransportProblem
from ..wire.redact import bounded
from . import engine, profiles


@dataclass
class Tally:
    """What the run saw, for the reports: checks held per clause, waived failures, D7 notes."""

    held: Counter[str] = field(default_factory=Counter)
    waived: list[Failure] = field(default_factory=list)
    notes: dict[str, Failure] = field(default_factory=dict)
    # (clause, matching mode, request->answer format, "held" | "failed") -> checks
    facets: Counter[tuple[str, str, str, str]] = field(default_factory=Counter)


# The endpoint the running scenario's calls go to: a shared scenario builds get_counter's calls and
# runs once per endpoint (the runner sets this; expect_all's sender threads copy it).
ENDPOINT: contextvars.ContextVar[str] = contextvars.ContextVar("altcraft_endpoint", default=endpoints.GET_COUNTER.name)


def routed(call: Call) -> Call:
    """``call`` sent to the running scenario's endpoint (calls to other paths stay as they are)."""
    name = ENDPOINT.get()
    if name != endpoints.GET_COUNTER.name and call.path == endpoints.GET_COUNTER.path:
        return call.variant(path=endpoints.get(name).path)
    return call


engine.serialise_parsing()  # scenarios run Hypothesis in several threads at once

DOWN_AFTER = 3  # consecutive transport problems that make the target "unreachable"
_KINDS = {"ConnectError": "connection refused", "ConnectTimeout": "timeout", "ReadTimeout": "timeout",
          "WriteTimeout": "timeout", "PoolTimeout": "timeout", "RemoteProtocolError": "connection reset or truncated body",
          "ReadError": "connection reset", "WriteError": "connection reset"}


def transport_problem(ex: Exchange) -> TransportProblem | None:
    """Classify what is not the target's contract: network errors, and a proxy's HTML 502/503/504."""
    if ex.transport_error:
        kind = _KINDS.get(ex.transport_error.split(":", 1)[0], "transport error")
        return TransportProblem(kind, f"{ex.transport_error} ({ex.call.method} {ex.url})")
    if ex.status == 429:  # still "slow down" after every Retry-After the gate honoured: not the contract
        return TransportProblem("rate limited", f"HTTP 429 after {ex.call.method} {ex.url} was retried as the "
                                                "target asked (lower --max-rps)")
    if ex.status in (502, 503, 504) and not isinstance(ex.envelope, dict):
        return TransportProblem("gateway", f"HTTP {ex.status} from a proxy or gateway, not an envelope ({ex.url})")
    return None


def facet(call: Call) -> tuple[str, str]:
    """The matching mode and the formats of a call, for the per-mode and per-format breakdown."""
    fields = call.body_fields()
    mode = fields.get("matching")
    if call.raw_body is not None:
        mode = "-"
    elif mode is None:
        mode = "(default)" if {"email", "profile_id"} & set(fields) else "-"
    elif mode not in schemas.matching_modes():
        mode = "(invalid)"
    body = "raw" if call.raw_body is not None else call.body_format
    return str(mode), f"{body}->{call.answer}"

class Session:
    """Shared by the scenarios of a run, which may run in several threads (``--concurrency``): the
    tallies and the transport streak are kept under a lock, and what one scenario waived is kept
    per thread."""

    def __init__(self, target: Target, client: Client, *, hypothesis_profile: str = "quick", seed: int = 0) -> None:
        self.target = target
        self.client = client
        self.hypothesis_profile = hypothesis_profile
        self.seed = seed
        self.tally = Tally()
        self.unreachable: str | None = None
        self.workdir: str | None = None  # the run's private temporary directory (probe files)
        self.concurrency = 1
        self._down: set[int] = set()  # send-order places of target-down problems since the last answer
        self._answered_upto = 0  # the latest place in send order that got an answer
        self._lock = threading.Lock()
        self._local = threading.local()
        self._pool: ThreadPoolExecutor | None = None  # for expect_all; never used by scenario threads
        self.endpoints: tuple[str, ...] = tuple(endpoints.ENDPOINTS)  # the endpoints the run checks (--endpoint)
        self.dry_run = False  # --dry-run: the write scenarios plan their writes and send none
        self.planned: list[list[str]] = []  # their plans, for the end of the run
        self.unavailable: dict[str, str] = {}  # endpoint -> why the deployment does not have it
        self._probed: set[str] = set()
        self._probe_lock = threading.Lock()  # one probe per endpoint; not self._lock, which send() takes

    def waived_here(self) -> list[Failure]:
        """Failures waived by the scenario running in this thread (``runner`` resets it)."""
        if not hasattr(self._local, "waived"):
            self._local.waived = []
        waived: list[Failure] = self._local.waived
        return waived

    def note_transport(self, problem: TransportProblem, seq: int = 0) -> bool:
        """Count a transport problem toward the one "unreachable" verdict (any sender reports here).

        The target is down when DOWN_AFTER requests failed so and no request sent after the first
        of them was answered: counted in send order, since scenarios run side by side and requests
        stalled together end together. False once that verdict stands: later problems (concurrent
        scenarios hit the same dead target) are "not run", so only the ones that proved it down are
        reported."""
        if not problem.target_down:
            return True
        with self._lock:
            if self.unreachable:
                return False
            if seq == 0 or seq > self._answered_upto:
                self._down.add(seq or max(self._down | {self._answered_upto}) + 1)
            if len(self._down) >= DOWN_AFTER:
                self.unreachable = str(problem)  # one verdict, instead of a failure per scenario
                self.client.gate.stopped = f"the target is unreachable ({self.unreachable})"
            return True

    def note_answer(self, seq: int = 0) -> None:
        """An answer to the request sent ``seq``-th: problems of requests sent before it are no streak."""
        with self._lock:
            self._answered_upto = max(self._answered_upto, seq)
            self._down = {s for s in self._down if s > self._answered_upto}

    # -- endpoints -----------------------------------------------------------------------
    def availability(self, name: str) -> str | None:
        """Why the deployment does not have endpoint ``name`` (None when it has it): probed once per
        run, so a missing endpoint is one "not available" verdict, not a failure per scenario."""
        if name == endpoints.GET_COUNTER.name or (self.dry_run and name in endpoints.WRITES):
            return None  # a dry run sends nothing to a write path, not even this probe
        with self._probe_lock:
            if name not in self._probed:
                self._probed.add(name)
                why = self._probe(name)
                if why:
                    self.unavailable[name] = why
        return self.unavailable.get(name)

    def _probe(self, name: str) -> str | None:
        """A request for the first profile, to get_counter and to ``name``'s path: the endpoint is
        missing when get_counter finds the profile and the other path answers 404 (HTTP or error)."""
        p = self.target.profiles[0]
        call = Call.of({"rel_id": self.target.rel_id, "matching": "profile_id", "profile_id": p.profile_id})
        try:
            counter = self.send(call, Expect.anything("T1"))
            other = self.send(call.variant(path=endpoints.get(name).path), Expect.anything("T1"))
        except (TransportProblem, NotRun):
            return None  # the scenarios meet the transport problem and report it as such
        code = other.error_code
        if counter.error_code == 0 and (other.status == 404 or code == 404):
            text = other.envelope.get("error_text") if isinstance(other.envelope, dict) else None
            return (f"relations/{name} is not available on this deployment: {other.call.path} answered HTTP "
                    f"{other.status}, error {code} ({bounded(text, 120)!r}) where get_counter finds the profile")
        return None

    # -- one exchange --------------------------------------------------------------------
    def send(self, call: Call, expect: Expect) -> Exchange:
        """Send ``call``; a transport problem is raised as such, never checked as a contract failure."""
        if self.unreachable and not gate.RESTORING.get():
            raise NotRun(f"the target is unreachable ({self.unreachable})")
        ex = self.client.send(routed(call), expect)
        problem = transport_problem(ex)
        if problem is None:
            self.note_answer(ex.seq)
            return ex
        if not self.note_transport(problem, ex.seq):
            raise NotRun(f"the target is unreachable ({self.unreachable})")
        raise problem

    def checked(self, call: Call, expect: Expect) -> tuple[Exchange, list[Failure]]:
        """Send ``call`` and return it with the failures of every per-exchange check."""
        ex = self.send(call, expect)
        failures, held = run_checks(ex, self.target)
        ex.release()  # scenarios read the decoded envelope from here on; the raw answer may be megabytes
        mode, fmt = facet(call)
        with self._lock:
            for c in held:
                clause = ex.expect.clause if c.clause == "*" else c.clause
                self.tally.held[clause] += 1
                self.tally.facets[(clause, mode, fmt, "held")] += 1
            for f in failures:
                if f.severity == "note":
                    self.tally.notes.setdefault(f.path, f)
                else:
                    self.tally.facets[(f.clause, mode, fmt, "failed")] += 1
        return ex, [f for f in failures if f.severity == "error"]

    # -- verdicts ------------------------------------------------------------------------
    def enforce(self, failures: Iterable[Failure]) -> None:
        """Raise for failures of clauses that are not waived; keep waived ones for the report."""
        blocking = []
        for f in failures:
            if f.clause in self.target.waivers:
                with self._lock:
                    self.tally.waived.append(f)
                self.waived_here().append(f)
            else:
                blocking.append(f)
        if blocking:
            raise ContractViolation(blocking)

    def expect(self, call: Call, expect: Expect) -> Exchange:
        """Send, check, and raise on any non-waived failure."""
        ex, failures = self.checked(call, expect)
        self.enforce(failures)
        return ex

    def checked_all(self, pairs: list[tuple[Call, Expect]]) -> list[tuple[Exchange, list[Failure]]]:
        """``checked`` for calls that do not depend on each other, sent at once (``--concurrency``);
        results in the calls' order, and a transport problem raised as the first in order would."""
        if self.concurrency <= 1 or len(pairs) < 2:
            return [self.checked(c, e) for c, e in pairs]
        if self._pool is None:
            with self._lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(2 * self.concurrency, thread_name_prefix="altcraft-send")
        # Each call in a copy of this context, so its requests count toward this scenario.
        futures = [self._pool.submit(contextvars.copy_context().run, self.checked, c, e) for c, e in pairs]
        return [f.result() for f in futures]

    def close(self) -> None:
        """Stop the pool of ``checked_all`` (its idle workers would otherwise keep the process alive
        when a Ctrl-C lands while it starts one)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def expect_all(self, pairs: list[tuple[Call, Expect]]) -> list[Exchange]:
        """Send independent calls at once, check each, and raise as the same calls sent one by one
        would: on the first, in order, that fails."""
        done = self.checked_all(pairs)
        for _, failures in done:
            self.enforce(failures)
        return [ex for ex, _ in done]

    def held(self, clause: str) -> None:
        """Count a check of ``clause`` that held (for checks a scenario judges itself)."""
        with self._lock:
            self.tally.held[clause] += 1

    def compare(self, relation: Callable[[list[Exchange]], Iterable[Failure]], exchanges: list[Exchange]) -> None:
        found = list(relation(exchanges))
        if not found:
            with self._lock:
                self.tally.held[REGISTRY[relation.__name__].clause] += 1
        self.enforce(found)

    # -- generated inputs ----------------------------------------------------------------
    def for_all(self, strategy: SearchStrategy[Any], body: Callable[[Any], None], *, salt: int = 0) -> None:
        """Run ``body`` on examples of ``strategy`` (Hypothesis shrinks a failure to its simplest)."""
        stopped: list[Exception] = []

        @seed(self.seed + salt)
        @profiles.settings_for(self.hypothesis_profile)
        @given(strategy)
        def prop(example: Any) -> None:
            if stopped:
                return
            with engine.engine_released():  # the network wait: other scenarios' engines may run
                try:
                    body(example)
                except (TransportProblem, NotRun) as exc:  # not the target's contract: do not shrink it
                    stopped.append(exc)

        try:
            with engine.engine_held():
                prop()
        except Exception as exc:
            if stopped:  # the transport failed part-way: that, not what it did to an example, is the news
                raise stopped[0] from None
            violations = _violations_in(exc)
            if violations:  # Hypothesis groups distinct or unreproducible failures; they are still failures
                raise ContractViolation([f for v in violations for f in v.failures]) from None
            raise
        if stopped:
            raise stopped[0]


def _violations_in(exc: BaseException) -> list[ContractViolation]:
    """The contract violations inside ``exc`` (itself, or an exception group such as Hypothesis'
    FlakyFailure, which a target that fails only now and then produces)."""
    if isinstance(exc, ContractViolation):
        return [exc]
    if isinstance(exc, BaseExceptionGroup):
        return [v for e in exc.exceptions for v in _violations_in(e)]
    return []
