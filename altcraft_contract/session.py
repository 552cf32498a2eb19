"""A run against one target: sends calls, runs the checks, applies waivers, keeps the tallies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, seed, settings
from hypothesis.strategies import SearchStrategy

from . import profiles
from .calls import Call, Expect
from .client import Client, Exchange
from .failures import ContractViolation, Failure, TransportProblem
from .registry import REGISTRY, run_checks
from .target import Target


@dataclass
class Tally:
    """What the run saw, for the reports: checks held per clause, waived failures, D7 notes."""

    held: Counter[str] = field(default_factory=Counter)
    waived: list[Failure] = field(default_factory=list)
    notes: dict[str, Failure] = field(default_factory=dict)


class Session:
    def __init__(self, target: Target, client: Client, *, hypothesis_profile: str = "quick", seed: int = 0) -> None:
        assert hypothesis_profile in profiles.PROFILES, hypothesis_profile
        self.target = target
        self.client = client
        self.hypothesis_profile = hypothesis_profile
        self.seed = seed
        self.tally = Tally()

    # -- one exchange --------------------------------------------------------------------
    def send(self, call: Call, expect: Expect) -> Exchange:
        ex = self.client.send(call, expect)
        if ex.transport_error:
            raise TransportProblem(f"{ex.transport_error} ({ex.call.method} {ex.url})")
        return ex

    def checked(self, call: Call, expect: Expect) -> tuple[Exchange, list[Failure]]:
        """Send ``call`` and return it with the failures of every per-exchange check."""
        ex = self.send(call, expect)
        failures, held = run_checks(ex, self.target)
        for c in held:
            self.tally.held[ex.expect.clause if c.clause == "*" else c.clause] += 1
        for f in failures:
            if f.severity == "note":
                self.tally.notes.setdefault(f.path, f)
        return ex, [f for f in failures if f.severity == "error"]

    # -- verdicts ------------------------------------------------------------------------
    def enforce(self, failures: Iterable[Failure]) -> None:
        """Raise for failures of clauses that are not waived; keep waived ones for the report."""
        blocking = []
        for f in failures:
            if f.clause in self.target.waivers:
                self.tally.waived.append(f)
            else:
                blocking.append(f)
        if blocking:
            raise ContractViolation(blocking)

    def expect(self, call: Call, expect: Expect) -> Exchange:
        """Send, check, and raise on any non-waived failure."""
        ex, failures = self.checked(call, expect)
        self.enforce(failures)
        return ex

    def compare(self, relation: Callable[[list[Exchange]], Iterable[Failure]], exchanges: list[Exchange]) -> None:
        found = list(relation(exchanges))
        if not found:
            self.tally.held[REGISTRY[relation.__name__].clause] += 1
        self.enforce(found)

    # -- generated inputs ----------------------------------------------------------------
    def for_all(self, strategy: SearchStrategy[Any], body: Callable[[Any], None], *, salt: int = 0) -> None:
        """Run ``body`` on examples of ``strategy`` (Hypothesis shrinks a failure to its simplest)."""
        @seed(self.seed + salt)
        @settings(settings.get_profile(self.hypothesis_profile))
        @given(strategy)
        def prop(example: Any) -> None:
            body(example)

        prop()
