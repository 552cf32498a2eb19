"""Running one scenario and classifying its outcome; shared by pytest and the mutation scorer."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from ..checks.failures import ContractViolation, Failure, Status
from ..wire.gate import count_requests
from ..wire.problems import NotRun, TransportProblem
from .scenario import Scenario
from .session import ENDPOINT, Session


@dataclass
class Outcome:
    scenario: Scenario
    status: Status
    failures: list[Failure] = field(default_factory=list)
    waived: list[Failure] = field(default_factory=list)
    reason: str = ""  # why it did not run, or what the transport said
    transport_error: bool = False
    requests: int = 0
    seconds: float = 0.0

    @property
    def failed_clauses(self) -> set[str]:
        return {f.clause for f in self.failures}


def unavailable(scenario: Scenario, session: Session) -> str | None:
    """Why the scenario's endpoint (every endpoint, for the consistency ones) is missing, if it is."""
    names = (scenario.endpoint,) if scenario.shared else scenario.uses
    return next((why for name in names if (why := session.availability(name))), None)


DRY_RUN = "--dry-run: only the write plan runs, and it sends only the reads it needs"


def run_scenario(scenario: Scenario, session: Session) -> Outcome:
    """Run ``scenario``; never raises for contract or transport problems, it reports them."""
    if session.dry_run and not scenario.exclusive:  # a dry run plans the writes; it checks nothing else
        return Outcome(scenario, Status.NOT_RUN, reason=DRY_RUN)
    missing = scenario.missing(session.target) or unavailable(scenario, session)
    if missing:
        return Outcome(scenario, Status.NOT_RUN, reason=missing)
    counted = count_requests()  # its own requests, though scenarios run side by side (--concurrency)
    started = time.perf_counter()
    waived = session.waived_here()
    waived.clear()
    out = Outcome(scenario, Status.PASSED)
    routing = ENDPOINT.set(scenario.endpoint)
    try:
        scenario.run(session)
    except ContractViolation as v:
        out.status, out.failures = Status.FAILED, v.failures
    except TransportProblem as t:
        out.status, out.reason, out.transport_error = Status.FAILED, str(t), True
    except NotRun as n:
        out.status, out.reason = Status.NOT_RUN, str(n)
    except Exception as exc:  # the suite could not judge: say so, blame nothing on the target
        out.status, out.reason = Status.FAILED, f"the suite could not judge this scenario: {type(exc).__name__}: {exc}"
    finally:
        ENDPOINT.reset(routing)
    out.waived = list(waived)
    if out.status is Status.PASSED and out.waived:
        out.status = Status.WAIVED
        out.reason = "; ".join(sorted({f"{f.clause}: {session.target.waivers[f.clause]}" for f in out.waived}))
    out.requests = counted[0]
    out.seconds = time.perf_counter() - started
    return out


class Prefetch:
    """Scenarios started ``concurrency`` at a time in the background (each one's requests stay in
    its own order and under its own seed, so the verdicts are those of a run one by one); ``take``
    waits for one. ``stop`` closes the gate first, so scenarios in flight end at their next
    request and nothing more is sent (Ctrl-C)."""

    def __init__(self, scenarios: list[Scenario], session: Session, concurrency: int) -> None:
        self.session = session
        self.pool = ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="altcraft-scenario")
        # The exclusive ones (the writes) one after another, in registration order: each one's verdict
        # may depend on what the one before it left (a restore that failed stops the rest).
        self.serial = ThreadPoolExecutor(max_workers=1, thread_name_prefix="altcraft-exclusive")
        # The long generated scenarios first, so none of them starts last and sets the run's length.
        ordered = sorted((s for s in scenarios if not s.exclusive), key=lambda s: "generated" not in s.title)
        self.futures: dict[str, Future[Outcome]] = {}
        self.on_wait: Callable[[], None] | None = None  # called between short waits (a progress line)
        try:
            for s in ordered:
                self.futures[s.id] = self.pool.submit(run_scenario, s, session)
            for s in scenarios:
                if s.exclusive:
                    self.futures[s.id] = self.serial.submit(run_scenario, s, session)
        except BaseException:
            # A Ctrl-C inside submit can land between a worker's start and the executor's record of
            # it; that worker then waits forever unless a shutdown wakes it, and the process never
            # exits (seen in CI). Shut down here, since the caller never got this object to stop.
            self.stop("the run was interrupted")
            raise

    def take(self, scenario_id: str) -> Outcome | None:
        future = self.futures.pop(scenario_id, None)
        if future is None:
            return None
        try:
            while True:  # short waits, so a KeyboardInterrupt reaches this thread promptly
                done, _ = wait([future], timeout=0.2)
                if done:
                    return future.result()
                if self.on_wait is not None:
                    self.on_wait()
        except BaseException:
            self.stop("the run was interrupted")
            raise

    def stop(self, why: str) -> None:
        self.session.client.gate.stopped = why
        self.close()

    def close(self) -> None:
        for pool in (self.pool, self.serial):
            # Not waiting first: a shutdown wakes every idle worker (also one the executor lost
            # track of), so the join that follows cannot hang on one.
            pool.shutdown(wait=False, cancel_futures=True)
        for pool in (self.pool, self.serial):
            pool.shutdown(wait=True)

