"""Generated sequences of writes: a Hypothesis state machine over the ``[writes]`` scope.

Rules: edit, strengthen (positive, negative, new property, new link), detach (a link the suite
may put back, and a link that is not there), attach (when the target names its path) and invalid
writes (S2). After every step both reads must show the model's prediction (Writer.write). Each
sequence starts from the state read at the start and is restored at its end. Hypothesis shrinks
a failing sequence; the shortest failing one seen is reported, as numbered steps with requests,
answers and curl lines. Shrinking has an allowance of steps, so a broken target cannot make it
send thousands of writes; past it, the shortest sequence found so far is the verdict.
"""

from __future__ import annotations

from typing import Any

from hypothesis import seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule, run_state_machine_as_test

from ...checks.failures import ContractViolation
from ...contract.calls import Expect
from ...run import engine, profiles
from ...wire.problems import NotRun, TransportProblem
from .steps import UNKNOWN_PROFILE_B, Writer

# (sequences, steps per sequence, steps the machine may send in all, shrinking included)
SIZES = {"quick": (4, 6, 90), "default": (10, 10, 400), "thorough": (30, 20, 2000)}
VALUES = st.one_of(st.integers(-50, 200), st.sampled_from([0.5, 1.25, 12.5, -3.75, 1e-3]))


def sequences(w: Writer) -> None:
    """Run the machine against ``w``'s target (the scenario ``S1: generated sequences``)."""
    n, steps, allowance = SIZES.get(w.s.hypothesis_profile, SIZES["default"])
    scope = w.scope
    if w.plan is not None:
        w.plan.append(f"  up to {n} generated sequences of up to {steps} writes (edit, strengthen, detach"
                      f"{', attach' if 'attach' in w.s.target.paths else ''}, invalid writes) to profiles_b "
                      f"{list(scope.profiles_b)} with properties {list(scope.properties)}; each sequence restored")
        return
    assert w.initial is not None
    initial = w.initial
    removable = w.removable()
    # A link the suite cannot remove and put back is written only in the properties it carries.
    writable = [b for b in scope.profiles_b if w.writable(b)]
    attach = "attach" in w.s.target.paths

    def weights_for(b: str) -> st.SearchStrategy[dict[str, Any]]:
        names = w.writable(b)
        return st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=len(names))

    target = st.sampled_from(writable).flatmap(lambda b: st.tuples(st.just(b), weights_for(b)))
    weights = st.dictionaries(st.sampled_from(scope.properties), VALUES, min_size=1, max_size=len(scope.properties))
    shortest: list[ContractViolation] = []
    shortest_len = [0]
    stopped: list[BaseException] = []
    sent = [0]

    def step(op: str, b: str | None, wts: dict[str, Any] | None, clause: str, **kw: Any) -> None:
        if stopped or sent[0] >= allowance:
            return  # out of allowance: the failure no longer reproduces, and the shortest one stands
        sent[0] += 1
        with engine.engine_released():  # the network wait: other scenarios' engines may run
            try:
                w.write(op, b, wts, clause, **kw)
            except ContractViolation as v:
                if not shortest or len(w.steps) <= shortest_len[0]:  # equal: a later one is more shrunk
                    shortest[:], shortest_len[0] = [v], len(w.steps)
                raise
            except (TransportProblem, NotRun) as exc:
                stopped.append(exc)

    class Writes(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            w.model = {k: dict(v) for k, v in initial.items()}  # the last sequence was restored
            w.steps = []

        @precondition(lambda self: bool(writable))
        @rule(what=target)
        def edit(self, what: tuple[str, dict[str, Any]]) -> None:
            step("edit", what[0], what[1], "W3")

        @precondition(lambda self: bool(writable))
        @rule(what=target, xml=st.booleans())
        def strengthen(self, what: tuple[str, dict[str, Any]], xml: bool) -> None:
            step("strengthen", what[0], what[1], "W4", fmt="xml" if xml else "json")

        @precondition(lambda self: bool(removable))
        @rule(data=st.data())
        def detach(self, data: st.DataObject) -> None:
            b = data.draw(st.sampled_from(removable or [""]))
            gone = b not in w.model
            step("detach", b, None, "W5", expect=Expect.anything("W5", "detach of a missing link: either answer")
                 if gone else None)

        @precondition(lambda self: attach and bool(removable))
        @rule(b=st.sampled_from(removable or [""]), wts=weights)
        def attach_new(self, b: str, wts: dict[str, Any]) -> None:
            if b not in w.model and b in removable:  # attach on a link that exists is free: not sent
                step("attach", b, wts, "W6")

        @rule(kind=st.sampled_from(["rel_id", "profile_b", "no profile_b"]), wts=weights)
        def invalid(self, kind: str, wts: dict[str, Any]) -> None:
            refused = Expect.error("S2", forbidden={401, 402, 403}, reason="a write that names nothing that exists")
            b = scope.profiles_b[0]
            if kind == "rel_id":
                step("edit", b, wts, "S2", expect=refused, rel_id=w.s.target.unknown_rel_id or 2000000003,
                     predict=False)
            else:
                step("edit", UNKNOWN_PROFILE_B if kind == "profile_b" else None, wts, "S2", expect=refused,
                     predict=False)

        def teardown(self) -> None:
            with engine.engine_released():
                try:
                    w.restore()
                except ContractViolation as lost:
                    stopped.append(lost)  # the staging is left changed: no further sequence

    base = profiles.settings_for(w.s.hypothesis_profile)
    machine = seed(w.s.seed + 17)(Writes)
    try:
        with engine.engine_held():
            run_state_machine_as_test(machine, settings=settings(base, max_examples=n, stateful_step_count=steps))
    except Exception:
        if shortest:
            raise shortest[0] from None
        if stopped:
            raise stopped[0] from None
        raise
    if stopped:
        raise stopped[0]
    if shortest:  # failed, then stopped reproducing (out of allowance): still a failure
        raise shortest[0]
