"""What stops a request short of an answer worth checking: the target cannot be talked to, or the
run may not send (its budget is spent, the scenario cannot run here). Raised by the wire; not
contract failures."""

from __future__ import annotations


class TransportProblem(Exception):
    """The target could not be talked to (refused, reset, timeout, a proxy's 502): not a contract failure."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind

    @property
    def target_down(self) -> bool:
        """Problems that mean nobody answers, so later scenarios need not try."""
        return self.kind in ("connection refused", "timeout", "gateway", "rate limited")


class NotRun(Exception):
    """The scenario cannot run on this target; the message says why."""


class BudgetExhausted(NotRun):
    """The run's request budget is spent; what is left is reported as not run."""
