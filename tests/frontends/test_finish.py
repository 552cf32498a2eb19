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


def test_closing_lines_are_inert() -> None:
    doc = {"written": ["r/results.json"], "stopped": {"exit_status": 11, "reason": "budget\x1b[2J"}}
    lines = finish.closing_lines(doc, ["::error::x"], None)
    assert all("\x1b" not in text and not text.startswith("::") for text, _ in lines)
    assert not any("budget" in text for text, _ in lines)  # why it stopped is the verdict's, said last, once


def doc(**kw: Any) -> dict[str, Any]:
    return {"summary": {"passed": 3, "failed": 0, "waived": 0, "not run": 1}, "clauses": [], "stopped": None,
            "behaviour_changes": None, "writes": {"dry_run": False}, **kw}


@pytest.mark.parametrize(("document", "status", "word", "words"), [
    (doc(), 0, "PASS", "every check held (3 passed, 1 not run)"),
    (doc(clauses=[{"clause": "D2", "result": "passed"}, {"clause": "C1", "result": "not covered"}]), 0, "PASS",
     "every check held (3 passed, 1 not run); 1 clause(s) not covered by what ran"),
    (doc(clauses=[{"clause": "D2", "result": "failed"}, {"clause": "C1", "result": "blocked"}]), 1, "FAIL",
     "contract failures in D2"),
    (doc(behaviour_changes={"changes": [{"kind": "x"}, {"kind": "y"}]}), 10, "CHANGED",
     "behaviour changed since the baseline: 2 change(s), nothing failed"),
    (doc(stopped={"exit_status": 11, "reason": "the request budget was spent"}), 11, "INCOMPLETE",
     "the request budget was spent; nothing failed"),
    (doc(stopped={"exit_status": 2, "reason": "interrupted: the scenarios left were not run"}), 2, "STOPPED",
     "interrupted"),
    (doc(stopped={"exit_status": 69, "reason": "the target http://t stopped answering (timeout)"}), 69, "STOPPED",
     "stopped answering"),
    (doc(writes={"dry_run": True}), 0, "DRY RUN", "nothing was written or judged"),
])
def test_the_verdict_and_the_last_line_tell_the_exit_status(document: dict[str, Any], status: int, word: str,
                                                            words: str) -> None:
    v = finish.verdict(document, status)
    assert (v["word"], v["exit_status"]) == (word, status) and words in v["text"]
    assert finish.last_line(v).startswith(f"altcraft-contract: {word} (exit {status}): ")


def test_the_last_line_is_inert() -> None:
    v = finish.verdict(doc(stopped={"exit_status": 69, "reason": "the target said \x1b[2J\n::error::x"}), 69)
    line = finish.last_line(v)
    assert "\x1b" not in line and "\n" not in line
