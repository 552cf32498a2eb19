"""A Ctrl-C at any moment ends the process: no worker thread is left waiting for work.

CI once hung for two minutes after a Ctrl-C that landed inside ``ThreadPoolExecutor.submit``
between a worker's start and the executor's record of it; Python's exit then joined a thread that
nothing would ever wake. These tests put the interrupt in exactly that place.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from altcraft_contract.contract.calls import Call, Expect
from altcraft_contract.contract.target import base_fields
from altcraft_contract.run.build import Run
from altcraft_contract.run.runner import Prefetch
from altcraft_contract.scenarios.all import all_scenarios


def interrupt_after_start(monkeypatch: pytest.MonkeyPatch, nth: int) -> None:
    """The ``nth`` thread started from now on starts, and then its starter gets a Ctrl-C."""
    original = threading.Thread.start
    count = [0]

    def start(self: threading.Thread) -> None:
        original(self)
        count[0] += 1
        if count[0] == nth:
            raise KeyboardInterrupt

    monkeypatch.setattr(threading.Thread, "start", start)


def ours_alive(prefix: str, deadline: float = 5.0) -> list[str]:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        alive = [t.name for t in threading.enumerate() if t.name.startswith(prefix) and not t.daemon]
        if not alive:
            return []
        time.sleep(0.02)
    return alive


@pytest.fixture
def quiet_run(inprocess_run: Run) -> Iterator[Run]:
    inprocess_run.session.concurrency = 4
    yield inprocess_run


@pytest.mark.parametrize("nth", [1, 3])
def test_prefetch_interrupted_while_starting_leaves_no_worker(quiet_run: Run, monkeypatch: pytest.MonkeyPatch,
                                                              nth: int) -> None:
    wanted = [s for s in all_scenarios() if not s.exclusive][:8]
    interrupt_after_start(monkeypatch, nth)
    with pytest.raises(KeyboardInterrupt):
        Prefetch(wanted, quiet_run.session, 4)
    monkeypatch.undo()
    assert ours_alive("altcraft-scenario") == []
    assert quiet_run.session.client.gate.stopped == "the run was interrupted"  # nothing more is sent


def test_send_pool_interrupted_while_starting_is_stopped_by_close(quiet_run: Run,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    pairs: list[tuple[Any, Any]] = [(Call.of(base_fields(quiet_run.session.target)), Expect.anything("T1"))] * 4
    interrupt_after_start(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        quiet_run.session.checked_all(pairs)
    monkeypatch.undo()
    quiet_run.close()
    assert ours_alive("altcraft-send") == []
