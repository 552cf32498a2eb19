"""The results of a run as plain data: built per process, merged across xdist workers, and the only
thing the reporters read (JSON, HTML, terminal). Nothing here changes a result."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .. import __version__, endpoints
from ..checks.failures import Failure, Status
from ..contract import clauses
from ..run import coverage
from ..wire.redact import cut, redact
from .clause_table import clause_table, hints

if TYPE_CHECKING:
    from ..run.build import Run
    from ..run.runner import Outcome


def failure_dict(f: Failure) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(f), default=str))  # type: ignore[no-any-return]


def outcome_dict(o: Outcome) -> dict[str, Any]:
    return {"id": o.scenario.id, "clause": o.scenario.clause, "endpoint": o.scenario.endpoint if o.scenario.shared
            else None, "uses": list(o.scenario.uses), "status": o.status.value, "reason": o.reason,
            "transport_error": o.transport_error, "requests": o.requests, "seconds": round(o.seconds, 3),
            "failures": [failure_dict(f) for f in o.failures], "waived": [failure_dict(f) for f in o.waived]}


def external_outcome(name: str, clause: str, outcome: str, text: str, seconds: float, *,
                     transport: bool = False, found: Iterable[tuple[str, str]] = (),
                     unjudged: bool = False) -> dict[str, Any]:
    """An item that drives its own tool (schemathesis), as an outcome: one failure per check that
    failed (``found``: clause and check), each carrying the tool's report (cut and redacted like any
    text from the target). ``unjudged``: the tool stopped on itself, and blames nothing on the target."""
    status = {"passed": Status.PASSED, "failed": Status.FAILED}.get(outcome, Status.NOT_RUN).value
    failures = [] if status != Status.FAILED.value or transport or unjudged else [
        failure_dict(Failure(c, check, f"schemathesis: {check} failed", text[-4000:])) for c, check in found
    ] or [failure_dict(Failure(clause, name, "schemathesis found a problem", text[-4000:]))]
    reason = redact(cut(text, 500)) if transport or unjudged or status == Status.NOT_RUN.value else ""
    return {"id": f"schemathesis: {name}", "clause": clause, "endpoint": None, "status": status, "reason": reason,
            "transport_error": transport, "requests": 0, "seconds": round(seconds, 3), "failures": failures,
            "waived": []}


def record(run: Run, outcomes: list[Outcome], started: float) -> dict[str, Any]:
    """Everything one process saw, as JSON-ready data."""
    t, s = run.session.target, run.session
    return {
        "suite_version": __version__,
        "target": {"base_url": t.base_url, "source": t.source, "api_version": t.api_version,
                   "error_http_status": t.error_http_status, "fault": run.fault, "variant": run.variant,
                   "waivers": dict(t.waivers), "ignored_keys": list(t.ignored_keys)},
        "hypothesis": {"profile": s.hypothesis_profile, "seed": s.seed},
        "requests": s.client.sent,
        "started": started,
        "finished": time.time(),
        "held": dict(s.tally.held),
        "facets": {"|".join(k): v for k, v in s.tally.facets.items()},
        "notes": {path: failure_dict(f) for path, f in s.tally.notes.items()},
        "outcomes": [outcome_dict(o) for o in outcomes],
        "unreachable": run.session.unreachable,
        "endpoints": {"selected": list(s.endpoints), "unavailable": dict(s.unavailable)},
        "budget_spent": run.session.client.gate.budget_spent,
        "input_coverage": coverage.table(run.session),
        "writes": writes_record(run),
    }


def writes_record(run: Run) -> dict[str, Any]:
    """What the write scenarios planned (--dry-run) and any restore that failed (S3), after one
    last restore of whatever a write scenario left changed (an interrupted run)."""
    from ..endpoints.writes import steps

    lost = steps.restore_all(run.session)
    return {"allowed": run.session.target.allow_writes and run.session.target.writes is not None,
            "dry_run": run.session.dry_run, "planned": list(run.session.planned),
            "restore_failed": [failure_dict(f) for f in lost]}


def merge(records: list[dict[str, Any]]) -> dict[str, Any]:
    """One record from the records of several workers (same target, same seed)."""
    if len(records) == 1:
        return records[0]
    out = dict(records[0])
    held: Counter[str] = Counter()
    facets: Counter[str] = Counter()
    out["notes"], out["outcomes"] = {}, []
    for r in records:
        held.update(r["held"])
        facets.update(r["facets"])
        out["notes"].update(r["notes"])
        out["outcomes"] += r["outcomes"]
    out["held"], out["facets"] = dict(held), dict(facets)
    out["requests"] = sum(r["requests"] for r in records)
    out["started"] = min(r["started"] for r in records)
    out["finished"] = max(r["finished"] for r in records)
    out["unreachable"] = next((r["unreachable"] for r in records if r["unreachable"]), None)
    # Each worker probes an endpoint it runs scenarios of: one that found it missing says so for all.
    out["endpoints"] = {"selected": records[0]["endpoints"]["selected"],
                        "unavailable": {k: v for r in records for k, v in r["endpoints"]["unavailable"].items()}}
    out["budget_spent"] = any(r.get("budget_spent") for r in records)
    out["input_coverage"] = merged_input_coverage(records)
    out["writes"] = {**records[0]["writes"], "planned": [p for r in records for p in r["writes"]["planned"]],
                     "restore_failed": [f for r in records for f in r["writes"]["restore_failed"]]}
    out["outcomes"].sort(key=lambda o: o["id"])
    return out


def clause_group(row: dict[str, Any]) -> str:
    """Where a clause row is reported: under every endpoint, under its endpoint, or between two."""
    return clauses.get(row["clause"]).group


def grouped_clauses(doc: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The clause rows by endpoint group, then family, in the clause table's order."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in doc["clauses"]:
        groups.setdefault(f"{clause_group(row)} › {row['family']}", []).append(row)
    # "every endpoint" first, then each endpoint folder's own groups in registration order.
    order = list(dict.fromkeys(c.group for c in clauses.CLAUSES if c.group == "every endpoint"))
    order += list(dict.fromkeys(c.group for c in clauses.CLAUSES if c.group != "every endpoint"))
    return sorted(groups.items(), key=lambda kv: order.index(kv[0].split(" › ")[0]))


def endpoint_table(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per endpoint: checked, not available on this deployment (one verdict for all of its
    scenarios), or not selected (--endpoint); with its scenarios' results and its own clauses."""
    rows = []
    unavailable, selected = rec["endpoints"]["unavailable"], rec["endpoints"]["selected"]
    writes = rec.get("writes") or {}
    for e in endpoints.ENDPOINTS.values():
        if e.kind == "write":  # the write scenarios that send to this endpoint
            own = [o for o in rec["outcomes"] if o["clause"][0] in "WS" and e.name in o.get("uses", ())]
            # A failed write scenario counts against the endpoints whose answers failed (a write,
            # or the reads after it), not against every endpoint it used (the restore edits too).
            blamed = [(o, [f for f in o["failures"] if e.name in blamed_writes(f, o)]) for o in own]
            counts = Counter("failed elsewhere" if o["status"] == Status.FAILED.value and o["failures"] and not mine
                             else o["status"] for o, mine in blamed)
            failed = sorted({f["clause"] for _, mine in blamed for f in mine})
        else:
            own = [o for o in rec["outcomes"] if o.get("endpoint") == e.name]
            counts = Counter(o["status"] for o in own)
            # A shared clause's row covers every endpoint; this says which endpoint's answers broke it.
            failed = sorted({f["clause"] for o in own for f in o["failures"]})
        result = "not available" if e.name in unavailable else "checked" if e.name in selected else "not selected"
        reason = unavailable.get(e.name, "")
        if e.kind == "write" and result == "checked" and not writes.get("allowed"):
            result, reason = "not run", next((o["reason"] for o in own if o["reason"]), "writes not allowed")
        scenarios = {s.value: counts.get(s.value, 0) for s in Status}
        if counts.get("failed elsewhere"):
            scenarios["failed elsewhere"] = counts["failed elsewhere"]
        rows.append({"name": e.name, "path": e.path, "title": e.title, "result": result,
                     "reason": reason, "scenarios": scenarios,
                     "clauses_failed": failed,
                     "clauses": [c.id for c in clauses.CLAUSES if c.endpoint in (e.name, endpoints.owner_of(e.name))]})
    return rows


def _endpoint_of(url: str) -> str | None:
    path = urlsplit(url).path.rstrip("/")
    return next((e.name for e in endpoints.ENDPOINTS.values() if path.endswith(e.path)), None)


def blamed_writes(failure: dict[str, Any], outcome: dict[str, Any]) -> set[str]:
    """The write endpoints a write scenario's failure counts against: the last write among its
    exchanges (the one whose answer, or whose effect on the reads after it, failed); without one,
    every write endpoint the scenario used."""
    names = [n for ex in failure.get("exchanges", []) if (n := _endpoint_of(ex.get("url", ""))) in endpoints.WRITES]
    return {names[-1]} if names else {n for n in outcome.get("uses", ()) if n in endpoints.WRITES}


def failure_groups(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Alike failures across the run (same clause, check, path and kind of received value) as one
    group: a count, the scenarios that show it, and the first as the example."""
    groups: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for sc in doc["scenarios"]:
        for f in sc["failures"]:
            key = (f["clause"], f["check"], f["path"], type(f["received"]).__name__)
            g = groups.setdefault(key, {"clause": f["clause"], "check": f["check"], "path": f["path"],
                                        "count": 0, "scenarios": [], "example": f, "example_scenario": sc["id"]})
            g["count"] += 1
            if sc["id"] not in g["scenarios"]:
                g["scenarios"].append(sc["id"])
    order = {c.id: i for i, c in enumerate(clauses.CLAUSES)}
    # Within a clause, the suite's own failures (full anatomy: request, answer, curl) before a tool's.
    return sorted(groups.values(), key=lambda g: (order.get(g["clause"], 99), g["example_scenario"].startswith(
        "schemathesis: "), g["check"], g["path"]))


def document(rec: dict[str, Any], baseline: dict[str, Any] | None = None) -> dict[str, Any]:
    """The results.json document (its schema is schemas/results.schema.json)."""
    counts = Counter(o["status"] for o in rec["outcomes"])
    return {
        "suite_version": rec["suite_version"],
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(rec["finished"])),
        "duration_seconds": round(rec["finished"] - rec["started"], 3),
        "target": rec["target"],
        "hypothesis": rec["hypothesis"],
        "requests": rec["requests"],
        "unreachable": rec["unreachable"],
        "summary": {s.value: counts.get(s.value, 0) for s in Status},
        "endpoints": endpoint_table(rec),
        "clauses": clause_table(rec),
        "scenarios": rec["outcomes"],
        "undocumented_fields": sorted(rec["notes"]),
        "behaviour_changes": baseline,
        "stopped": None,  # why the run ended early, when it did (set by the front end)
        "input_coverage": input_coverage_document(rec),
        "writes": rec["writes"],
        "hints": hints(rec),
    }


# --- input coverage: which classes of the input model the run sent (field x class x format) ----

def merged_input_coverage(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The workers' coverage rows as one table: a class is sent when any worker sent it."""
    return coverage.merge([r["input_coverage"] for r in records if r.get("input_coverage")] or [[]])


def input_coverage_document(rec: dict[str, Any]) -> dict[str, Any]:
    """The ``input_coverage`` part of results.json: counts and every row."""
    rows = rec.get("input_coverage", [])
    return {"classes": len(rows), "sent": sum(r["sent"] for r in rows), "rows": rows}
