"""Running one scenario and classifying its outcome; shared by pytest and the mutation scorer."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .failures import ContractViolation, Failure, NotRun, Status, TransportProblem
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
    sent, waived_before, started = session.client.sent, len(session.tally.waived), time.perf_counter()
    out = Outcome(scenario, Status.PASSED)
    try:
        scenario.run(session)
    except ContractViolation as v:
        out.status, out.failures = Status.FAILED, v.failures
    except TransportProblem as t:
        out.status, out.reason, out.transport_error = Status.FAILED, str(t), True
    except NotRun as n:
        out.status, out.reason = Status.NOT_RUN, str(n)
    out.waived = session.tally.waived[waived_before:]
    if out.status is Status.PASSED and out.waived:
        out.status = Status.WAIVED
        out.reason = "; ".join(sorted({f"{f.clause}: {session.target.waivers[f.clause]}" for f in out.waived}))
    out.requests = session.client.sent - sent
    out.seconds = time.perf_counter() - started
    return out
