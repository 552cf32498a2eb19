"""Generated scenarios: Hypothesis draws requests from the strategies and shrinks any failure."""

from __future__ import annotations

from typing import Any

from ..checks.relational import same_answer_twice
from ..contract import schemas
from ..run.session import Session
from . import strategies
from .registry import ScenarioList

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
scenario = SCENARIOS.scenario


def _expect_each(s: Session, strategy: Any, salt: int) -> None:
    """Send every drawn (call, expectation) and check it."""
    def body(example: Any) -> None:
        s.expect(example[0], example[1])
    s.for_all(strategy, body, salt=salt)


@scenario("M2", "generated valid requests succeed")
def valid_requests(s: Session) -> None:
    _expect_each(s, strategies.valid_calls(s.target), 1)


@scenario("R4", "generated incorrect requests get 400")
def invalid_requests(s: Session) -> None:
    def body(example: Any) -> None:
        call, expect, why = example
        # Re-check the stated reason on the example as sent (after any shrinking): a request that
        # became correct must never be blamed on the target.
        found = {v.path for v in schemas.violations("request", call.body_fields(), "R4")}
        assert why.path in found, f"strategy bug: {why} no longer holds for {call.fields}"
        s.expect(call, expect)
    s.for_all(strategies.invalid_calls(s.target), body, salt=2)


@scenario("R5", "generated unknown identities find nothing")
def unknown_identities(s: Session) -> None:
    _expect_each(s, strategies.unknown_calls(s.target), 3)


@scenario("I1", "generated requests repeated give the same answer")
def repeated_requests(s: Session) -> None:
    def body(example: Any) -> None:
        call, expect = example
        first = s.expect(call, expect)
        s.compare(same_answer_twice, [first, s.expect(call, expect)])
    s.for_all(strategies.valid_calls(s.target), body, salt=4)
