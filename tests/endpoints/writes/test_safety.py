"""The writes' safety (S3): nothing is written without both [writes] and --writes, a dry run sends
no write, every scenario leaves the store as it found it, also when it is interrupted at any
point (between a write and its check too) or its checks fail, and a restore that fails is loud."""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from altcraft_contract import endpoints
from altcraft_contract.checks.failures import Status
from altcraft_contract.run.build import Run, build_run
from altcraft_contract.run.runner import run_scenario
from altcraft_contract.run.scenario import Scenario
from altcraft_contract.scenarios.all import all_scenarios
from altcraft_contract.wire.client import Client
from altcraft_contract.wire.problems import TransportProblem

WRITE_PATHS = {endpoints.get(n).path for n in endpoints.WRITES}


def _writes() -> list[Scenario]:
    return [s for s in all_scenarios() if s.clause[0] in "WS"]


def _run(**kw: Any) -> Run:
    kw.setdefault("hypothesis_profile", "quick")
    return build_run(transport="inprocess", check_reachable=False, seed=0, **kw)


def _paths_sent(run: Run) -> Counter[str]:
    """Count every path the client sends to (wrapping its send)."""
    sent: Counter[str] = Counter()
    original = run.session.client.send

    def counting(call: Any, expect: Any) -> Any:
        sent[call.path] += 1
        return original(call, expect)
    run.session.client.send = counting  # type: ignore[method-assign]
    return sent


def test_a_correct_store_passes_every_write_scenario_and_ends_unchanged() -> None:
    run = _run(writes=True)
    before = run.reference.store.snapshot()
    try:
        outs = [run_scenario(s, run.session) for s in _writes()]
        assert [(o.scenario.id, o.reason, [f.render() for f in o.failures]) for o in outs
                if o.status is not Status.PASSED] == []
        assert run.reference.store.snapshot() == before
        held = run.session.tally.held
        assert all(held[c] > 0 for c in ("W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "S1", "S2", "S3")), held
    finally:
        run.close()


@pytest.mark.parametrize("writes", [False, True])
def test_nothing_is_written_without_both_the_table_and_the_option(writes: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    run = _run(writes=writes)
    if writes:  # the option without the table
        run.session.target = run.session.target.__class__(**{**run.session.target.__dict__, "writes": None})
    sent = _paths_sent(run)
    try:
        outs = [run_scenario(s, run.session) for s in _writes()]
        assert {o.status for o in outs} == {Status.NOT_RUN}
        assert all(o.reason.startswith("writes not allowed") for o in outs)
        assert not (set(sent) & WRITE_PATHS)
    finally:
        run.close()


def test_a_dry_run_plans_the_writes_and_sends_none() -> None:
    run = _run(writes=True, dry_run=True)
    before = run.reference.store.snapshot()
    sent = _paths_sent(run)
    try:
        outs = [run_scenario(s, run.session) for s in _writes()]
        assert {o.status for o in outs} == {Status.NOT_RUN}
        assert not (set(sent) & WRITE_PATHS)
        lines = [line for plan in run.session.planned for line in plan]
        assert any(" edit " in line for line in lines) and any("restore: detach" in line for line in lines)
        assert run.reference.store.snapshot() == before
    finally:
        run.close()


class Interrupt(BaseException):
    """Stands for Ctrl-C (a BaseException, like KeyboardInterrupt, which pytest would act on)."""


@settings(max_examples=12, deadline=None, database=None)
@given(at=st.integers(1, 60), how=st.sampled_from(["raise", "close the gate"]), which=st.integers(0, 5))
def test_an_interrupted_write_scenario_restores_the_store(at: int, how: str, which: int) -> None:
    run = _run(writes=True)
    before = run.reference.store.snapshot()
    scenario = _writes()[which % len(_writes())]
    client: Client = run.session.client
    original = client.send
    count = [0]

    def interrupting(call: Any, expect: Any) -> Any:
        from altcraft_contract.wire import gate

        count[0] += 1
        if count[0] == at and not gate.RESTORING.get():
            if how == "raise":
                raise Interrupt()
            client.gate.stopped = "the run was interrupted"  # Ctrl-C seen by another thread
        return original(call, expect)
    client.send = interrupting  # type: ignore[method-assign]
    try:
        with contextlib.suppress(Interrupt):
            run_scenario(scenario, run.session)
        assert run.reference.store.snapshot() == before, (scenario.id, at, how)
    finally:
        run.close()


def test_a_scenario_that_fails_its_checks_still_restores() -> None:
    run = _run(writes=True, fault="edit_adds")
    before = run.reference.store.snapshot()
    try:
        outs = [run_scenario(s, run.session) for s in _writes()]
        assert any("W3" in o.failed_clauses for o in outs)
        failure = next(f for o in outs for f in o.failures if f.clause == "W3")
        assert "1. edit" in failure.message and failure.exchanges  # the numbered steps, with curl lines
        assert run.reference.store.snapshot() == before
    finally:
        run.close()


def test_a_restore_that_fails_is_reported_with_the_state_to_restore_by_hand() -> None:
    run = _run(writes=True)
    try:
        scenario = next(s for s in _writes() if s.clause == "W3")
        original = run.session.client.send
        from altcraft_contract.wire import gate

        def refusing_restores(call: Any, expect: Any) -> Any:
            if gate.RESTORING.get() and call.path in WRITE_PATHS:
                raise TransportProblem("connection refused", "the network went away")
            return original(call, expect)
        run.session.client.send = refusing_restores  # type: ignore[method-assign]
        out = run_scenario(scenario, run.session)
        lost = [f for f in out.failures if f.clause == "S3"]
        assert lost and "RESTORE FAILED" in lost[0].title and "Restore by hand" in lost[0].message
        assert "5c910f6bc484d023b1309bf0" in lost[0].message
    finally:
        run.close()


def test_write_scenarios_run_one_at_a_time() -> None:
    run = _run(writes=True)
    before = run.reference.store.snapshot()
    try:
        threads = [threading.Thread(target=run_scenario, args=(s, run.session)) for s in _writes()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert run.reference.store.snapshot() == before
    finally:
        run.close()


def test_the_restore_writes_only_to_the_listed_b_profiles() -> None:
    """Someone else links another B profile to profile_a during the run (a shared staging): S1 says
    the listing changed, and the restore leaves that link alone: it is not the suite's to undo."""
    from altcraft_contract.reference.data import A5

    other = "5c910938c484d023b1300e04"  # a B profile of the store that [writes] does not list
    run = _run(writes=True)
    sent_to: list[str] = []
    original = run.session.client.send

    def colleague(call: Any, expect: Any) -> Any:
        fields = call.body_fields()
        if call.path in WRITE_PATHS and "profile_a" in fields:  # a write (not the availability probe)
            sent_to.append(str((fields.get("profile_b") or {}).get("profile_id")))
            if not sent_to[:-1]:  # right after the suite's first write
                run.reference.store.put(3, A5, other, {"Like": 9})
        return original(call, expect)
    run.session.client.send = colleague  # type: ignore[method-assign]
    try:
        out = run_scenario(next(s for s in _writes() if s.clause == "W3"), run.session)
        assert "S1" in out.failed_clauses and "S3" not in out.failed_clauses, [f.render() for f in out.failures]
        assert other not in sent_to and run.reference.store.get(3, A5, other) is not None
    finally:
        run.close()
