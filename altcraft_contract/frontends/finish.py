"""The end of a run, once every process's record is in: its verdict beyond pytest's own (why it
stopped early, which exit status says so), the baselines, and the closing lines of the terminal.
Pure functions of the merged record, so the pytest plugin only wires them to its hooks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import TargetUnreachable
from ..reports import baseline
from ..wire.redact import redact, safe

BEHAVIOUR_CHANGED = 10  # exit status of --compare-baseline when the target's behaviour changed
INCOMPLETE = 11  # the request budget was spent: part of the suite did not run
INTERRUPTED = 2  # pytest's own status for Ctrl-C


def conclude(rec: dict[str, Any], changes: dict[str, Any] | None, exit_status: int) -> tuple[dict[str, Any], int]:
    """What to add to the results document (``stopped``, the unreachable line) and the exit status:
    unreachable 69, interrupted 2, budget spent 11, behaviour changed 10; contract failures (1) keep
    theirs over 11 and 10."""
    extra: dict[str, Any] = {}
    if rec["unreachable"]:
        err = TargetUnreachable(f"the target {rec['target']['base_url']} stopped answering ({rec['unreachable']})",
                                "check that it is up, then run again")
        extra["stopped"] = {"exit_status": err.exit_status, "reason": str(err)}
        return extra, err.exit_status
    if exit_status == INTERRUPTED:
        extra["stopped"] = {"exit_status": INTERRUPTED, "reason": "interrupted: the scenarios left were not run"}
    elif rec.get("budget_spent"):
        extra["stopped"] = {"exit_status": INCOMPLETE, "reason": "the request budget was spent: the scenarios "
                            "reported 'not run' did not run (raise --request-budget to run them)"}
        return extra, INCOMPLETE if exit_status == 0 else exit_status
    elif changes and changes["changes"] and exit_status == 0:
        return extra, BEHAVIOUR_CHANGED
    return extra, exit_status


def baselines(observed: list[dict[str, Any]], record_to: str | None, compare_with: str | None) -> dict[str, Any] | None:
    """Write the observed baseline (redacted), and its changes against a recorded one."""
    if not observed:
        return None
    if record_to:
        Path(record_to).parent.mkdir(parents=True, exist_ok=True)
        Path(record_to).write_text(redact(json.dumps(observed[0], indent=2, ensure_ascii=False)), encoding="utf-8")
    if compare_with:
        return baseline.compare(baseline.load(compare_with), observed[0])
    return None


def _counts(doc: dict[str, Any]) -> str:
    summary = doc.get("summary") or {}
    return ", ".join(f"{n} {s}" for s, n in summary.items() if n) or "nothing ran"


def verdict(doc: dict[str, Any], exit_status: int) -> dict[str, Any]:
    """The run's story in one word and one sentence, from its exit status: what the terminal's last
    line, the HTML headline, results.json and JUnit all say (PASS, FAIL, CHANGED, INCOMPLETE,
    STOPPED; DRY RUN for a plan that judged nothing)."""
    changes = (doc.get("behaviour_changes") or {}).get("changes") or []
    stopped = (doc.get("stopped") or {}).get("reason", "")
    failed = [row["clause"] for row in doc.get("clauses", []) if row["result"] == "failed"]
    counts = _counts(doc)
    if exit_status == 0 and (doc.get("writes") or {}).get("dry_run"):
        word, text = "DRY RUN", f"the plan of writes is above; nothing was written or judged ({counts})"
    elif exit_status == 0:
        held = "every check held" if not (doc.get("summary") or {}).get("waived") else "every check held but the waived ones"
        word, text = "PASS", f"{held} ({counts})"
        uncovered = [row["clause"] for row in doc.get("clauses", []) if row["result"] == "not covered"]
        if uncovered:  # a filtered run (-k, --endpoint) passes, but must not read as the whole contract
            text += f"; {len(uncovered)} clause(s) not covered by what ran, each with its reason above"
    elif exit_status == 1:
        word = "FAIL"
        text = (f"contract failures in {', '.join(failed)} ({counts})" if failed else
                f"no contract failure, but scenarios failed: TRANSPORT or not judged, see above ({counts})")
        if changes:
            text += f"; the behaviour also changed since the baseline ({len(changes)} change(s))"
        if stopped:
            text += f"; also {stopped}"
    elif exit_status == BEHAVIOUR_CHANGED:
        word, text = "CHANGED", (f"the target's behaviour changed since the baseline: {len(changes)} change(s), "
                                 f"nothing failed ({counts})")
    elif exit_status == INCOMPLETE:
        word, text = "INCOMPLETE", f"{stopped or 'part of the suite did not run'}; nothing failed ({counts})"
    else:
        word, text = "STOPPED", f"{stopped or 'the run ended early'} ({counts})"
    return {"word": word, "exit_status": exit_status, "text": safe(text, one_line=True)}


def last_line(v: dict[str, Any]) -> str:
    """The terminal's very last line (after pytest's own counts): the verdict, as the report's headline."""
    return safe(f"altcraft-contract: {v['word']} (exit {v['exit_status']}): {v['text']}", one_line=True)


def closing_lines(doc: dict[str, Any], summary: list[str], record_to: str | None) -> list[tuple[str, bool]]:
    """The terminal's closing lines (text, red?), each inert: the summary, baseline, reports. Why the
    run stopped is the verdict's, printed last (``last_line``)."""
    lines = [(safe(line), False) for line in summary]
    if record_to:
        lines.append((safe(f"baseline recorded: {record_to}"), False))
    writes = doc.get("writes") or {}
    for plan in writes.get("planned", []):
        lines += [(safe(line), False) for line in ["plan of writes (dry run, nothing sent):", *plan]]
    for lost in writes.get("restore_failed", []):
        lines.append((safe(f"altcraft-contract: {lost['title']}: {lost['message']}", one_line=True), True))
    lines.append((safe(f"reports: {', '.join(doc['written'])}"), False))  # JUnit: pytest's own line above
    return lines
