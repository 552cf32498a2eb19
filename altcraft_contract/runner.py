"""Running one scenario and classifying its outcome; shared by pytest and the mutation scorer."""

from __future__ import annotations

import time
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from .failures import ContractViolation, Failure, NotRun, Status, TransportProblem
from .gate import count_requests
from .scenarios.registry import Scenario
from .session import Session


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


def run_scenario(scenario: Scenario, session: Session) -> Outcome:
    """Run ``scenario``; never raises for contract or transport problems, it reports them."""
    missing = scenario.missing(session.target)
    if missing:
        return Outcome(scenario, Status.NOT_RUN, reason=missing)
    counted = count_requests()  # its own requests, though scenarios run side by side (--concurrency)
    started = time.perf_counter()
    waived = session.waived_here()
    waived.clear()
    out = Outcome(scenario, Status.PASSED)
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
    out.waived = list(waived)
    if out.status is Status.PASSED and out.waived:
        out.status = Status.WAIVED
        out.reason = "; ".join(sorted({f"{f.clause}: {session.target.waivers[f.clause]}" for f in out.waived}))
    out.requests = counted[0]
    out.seconds = time.perf_counter() - started
    return out


def run_all(scenarios: list[Scenario], session: Session, concurrency: int) -> dict[str, Outcome]:
    """Run ``scenarios`` ``concurrency`` at a time (each one's requests stay in its own order and
    its own seed, so the verdicts are those of a run one by one); keyed by scenario id.

    On Ctrl-C the gate is closed first, so scenarios in flight end at their next request and
    nothing more is sent."""
    if concurrency <= 1:
        return {s.id: run_scenario(s, session) for s in scenarios}
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="altcraft-scenario")
    # The long generated scenarios first, so none of them starts last and sets the run's length.
    ordered = sorted(scenarios, key=lambda s: "generated" not in s.title)
    futures = {s.id: pool.submit(run_scenario, s, session) for s in ordered}
    try:
        pending = set(futures.values())
        while pending:  # short waits, so a KeyboardInterrupt reaches this thread promptly
            _, pending = wait(pending, timeout=0.2, return_when=FIRST_EXCEPTION)
    except BaseException:
        session.client.gate.stopped = "the run was interrupted"
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return {sid: f.result() for sid, f in futures.items()}
