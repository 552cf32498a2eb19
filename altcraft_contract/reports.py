"""Reporting: reads outcomes and tallies, never changes them. Terminal summary and results.json."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, clauses
from .failures import Failure, Status

if TYPE_CHECKING:
    from .run import Run
    from .runner import Outcome


def failure_text(out: Outcome) -> str:
    head = f"{len(out.failures)} contract failure(s): {', '.join(sorted(out.failed_clauses))}"
    return head + "\n" + "\n".join(f.render() for f in out.failures[:10])


def clause_table(run: Run, outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """One row per clause: its result over the whole run, and how much evidence there is."""
    failed: dict[str, int] = {}
    waived: dict[str, int] = {}
    not_run: dict[str, list[str]] = {}
    ran: set[str] = set()
    for o in outcomes:
        for f in o.failures:
            failed[f.clause] = failed.get(f.clause, 0) + 1
        for f in o.waived:
            waived[f.clause] = waived.get(f.clause, 0) + 1
        if o.status is Status.NOT_RUN:
            not_run.setdefault(o.scenario.clause, []).append(o.reason)
        else:
            ran.add(o.scenario.clause)
    held = run.session.tally.held
    target = run.session.target
    rows = []
    for c in clauses.CLAUSES:
        if c.id in ("V72", "V74"):
            result = "applied" if c.id[1:] == target.api_version[1:] else "not applied"
        elif c.id in failed:
            result = Status.FAILED.value
        elif c.id in waived:
            result = Status.WAIVED.value
        elif held.get(c.id, 0) or c.id in ran:
            result = Status.PASSED.value
        elif c.id in not_run:
            result = Status.NOT_RUN.value
        else:
            result = "not covered"
        rows.append({"clause": c.id, "level": c.level, "family": clauses.FAMILIES[c.family], "title": c.title,
                     "result": result, "checks_held": held.get(c.id, 0), "failures": failed.get(c.id, 0),
                     "waived": waived.get(c.id, 0), "waiver": target.waivers.get(c.id),
                     "not_run_reasons": not_run.get(c.id, [])})
    return rows


def summary_lines(run: Run, outcomes: list[Outcome]) -> list[str]:
    t = run.session.target
    lines = [f"altcraft-contract: {t.base_url} ({t.source}), api {t.api_version}, "
             f"hypothesis profile {run.session.hypothesis_profile}, seed {run.session.seed}, "
             f"{run.session.client.sent} requests", "clause results:"]
    for row in clause_table(run, outcomes):
        extra = f" - {row['waiver']}" if row["waiver"] else ""
        extra += f" - {'; '.join(row['not_run_reasons'])}" if row["result"] == "not run" else ""
        lines.append(f"  {row['clause']:<8} {row['result']:<12} {row['title']}{extra}")
    notes = run.session.tally.notes
    if notes:
        lines.append("undocumented fields seen (D7, not failures): " + ", ".join(sorted(notes)))
    return lines


def _failure_dict(f: Failure) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(f), default=str))  # type: ignore[no-any-return]


def results_document(run: Run, outcomes: list[Outcome]) -> dict[str, Any]:
    t = run.session.target
    return {
        "suite_version": __version__,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "target": {"base_url": t.base_url, "source": t.source, "api_version": t.api_version,
                   "error_http_status": t.error_http_status, "fault": run.fault, "variant": run.variant},
        "hypothesis": {"profile": run.session.hypothesis_profile, "seed": run.session.seed},
        "requests": run.session.client.sent,
        "summary": {s.value: sum(1 for o in outcomes if o.status is s) for s in Status},
        "clauses": clause_table(run, outcomes),
        "scenarios": [{"id": o.scenario.id, "clause": o.scenario.clause, "status": o.status.value,
                       "reason": o.reason, "transport_error": o.transport_error, "requests": o.requests,
                       "seconds": round(o.seconds, 3), "failures": [_failure_dict(f) for f in o.failures],
                       "waived": [_failure_dict(f) for f in o.waived]} for o in outcomes],
        "undocumented_fields": sorted(run.session.tally.notes),
    }


def write_all(run: Run, outcomes: list[Outcome], directory: str) -> list[str]:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "results.json"
    path.write_text(json.dumps(results_document(run, outcomes), indent=2, ensure_ascii=False), encoding="utf-8")
    return [str(path)]
