"""The run's own verdict beyond pytest's: why it stopped, and the exit status that says so."""

from __future__ import annotations

from typing import Any

import pytest

from altcraft_contract.frontends import finish


def rec(**kw: Any) -> dict[str, Any]:
    return {"unreachable": None, "budget_spent": False, "target": {"base_url": "http://t"}, **kw}


@pytest.mark.parametrize(("record", "changes", "status", "want_status", "stopped"), [
    (rec(), None, 0, 0, None),
    (rec(), None, 1, 1, None),
    (rec(unreachable="timeout"), None, 1, 69, 69),
    (rec(), None, 2, 2, 2),
    (rec(budget_spent=True), None, 0, 11, 11),
    (rec(budget_spent=True), None, 1, 1, 11),  # contract failures keep their status; the report says why
    (rec(), {"changes": [{"kind": "x"}]}, 0, 10, None),
    (rec(), {"changes": [{"kind": "x"}]}, 1, 1, None),
    (rec(), {"changes": []}, 0, 0, None),
])
def test_each_way_a_run_ends_has_its_status(record: dict[str, Any], changes: Any, status: int, want_status: int,
                                            stopped: int | None) -> None:
    extra, got = finish.conclude(record, changes, status)
    assert got == want_status
    assert (extra.get("stopped") or {}).get("exit_status") == stopped


def test_closing_lines_are_inert_and_say_why_it_stopped() -> None:
    doc = {"written": ["r/results.json"], "stopped": {"exit_status": 11, "reason": "budget\x1b[2J"}}
    lines = finish.closing_lines(doc, ["::error::x"], None)
    assert all("\x1b" not in text and not text.startswith("::") for text, _ in lines)
    assert lines[-1][1] and "stopped: budget" in lines[-1][0]
