"""The clause table: one row per clause of the contract, its result over a run and why it has no
verdict when it has none (not run, blocked, incomplete, not covered: which scenarios would check it
and why none did); and the hints that explain failures beside them. Plain data from the merged
record; nothing here changes a result."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .. import endpoints
from ..checks.failures import Status
from ..contract import clauses


def _facets_of(rec: dict[str, Any], clause_id: str) -> list[dict[str, Any]]:
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for key, n in rec["facets"].items():
        clause, mode, fmt, result = key.split("|")
        if clause == clause_id:
            row = rows.setdefault((mode, fmt), {"mode": mode, "format": fmt, "held": 0, "failed": 0})
            row[result] += n
    return sorted(rows.values(), key=lambda r: (r["mode"], r["format"]))


def clause_table(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per clause of CONTRACT.md: its result over the run, and the evidence for it."""
    failed: Counter[str] = Counter()
    waived: Counter[str] = Counter()
    not_run: dict[str, list[str]] = {}
    blockers: dict[str, set[str]] = {}  # clause -> clauses whose failures stopped its scenarios first
    for o in rec["outcomes"]:
        failed.update(f["clause"] for f in o["failures"])
        waived.update(f["clause"] for f in o["waived"])
        if o["status"] == Status.NOT_RUN.value:
            not_run.setdefault(o["clause"], []).append(o["reason"])
        elif o["transport_error"]:
            not_run.setdefault(o["clause"], []).append("a transport problem stopped it (TRANSPORT)")
        elif o["status"] == Status.FAILED.value:
            blockers.setdefault(o["clause"], set()).update(f["clause"] for f in o["failures"])
    held, api = rec["held"], rec["target"]["api_version"]
    # A run that stopped early says so for every clause it left short, not "not covered".
    stop = (f"the target is unreachable ({rec['unreachable']})" if rec.get("unreachable") else
            "the request budget was spent" if rec.get("budget_spent") else
            "the run was interrupted" if rec.get("interrupted") else None)
    rows = []
    for c in clauses.CLAUSES:
        uncovered_why = ""
        blocked_by = sorted(blockers.get(c.id, set()) - {c.id})
        # A clause passes only on evidence: at least one of its checks ran and held.
        if c.id in ("V72", "V74"):
            result = "applied" if c.id[1:] == api[1:] else "not applied"
        elif failed[c.id]:
            result = Status.FAILED.value
        elif waived[c.id]:
            result = Status.WAIVED.value
        elif held.get(c.id, 0):
            # Held where it ran; "incomplete" when some of its scenarios did not run at all.
            # An interrupted run (or one stopped early) cannot vouch for the rest of a clause either.
            result = "incomplete" if c.id in not_run or rec.get("interrupted") else Status.PASSED.value
        elif blocked_by:
            result = "blocked"
        elif c.id in not_run:
            result = Status.NOT_RUN.value
        elif stop:
            result = Status.NOT_RUN.value
            not_run[c.id] = [f"the run stopped early: {stop}"]
        elif missing := _unselected(c, rec["endpoints"]["selected"]):
            result = Status.NOT_RUN.value
            not_run[c.id] = [f"not selected: it needs {', '.join(missing)} (--endpoint)"]
        else:
            result, why = uncovered(c, rec["outcomes"])
            if result == Status.NOT_RUN.value:
                not_run[c.id] = why
            else:
                uncovered_why = why[0]
        reasons = sorted(set(not_run.get(c.id, [])))
        rows.append({"clause": c.id, "level": c.level, "family": clauses.FAMILIES[c.family], "title": c.title,
                     "endpoint": c.endpoint,
                     "result": result, "checks_held": held.get(c.id, 0), "failures": failed[c.id],
                     "waived": waived[c.id], "waiver": rec["target"]["waivers"].get(c.id),
                     "blocked_by": blocked_by if result == "blocked" else [],
                     "not_run_reasons": reasons, "facets": _facets_of(rec, c.id),
                     "reason": _reason(result, reasons, blocked_by, api, uncovered_why if result == "not covered" else "")})
    return rows


def _reason(result: str, not_run: list[str], blocked_by: list[str], api: str, uncovered_why: str) -> str:
    """Why a clause has no verdict of passed, failed or waived, in one line ("" when it has one)."""
    if result == Status.NOT_RUN.value:
        return "; ".join(not_run)
    if result == "incomplete":
        return "held where it ran; not run: " + "; ".join(not_run)
    if result == "blocked":
        return f"its scenarios stopped at an earlier failure ({', '.join(blocked_by)}) before its checks ran"
    if result in ("applied", "not applied"):
        return f'the target file says api_version = "{api}"'
    return uncovered_why


def carriers(c: clauses.Clause, outcomes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scenarios that would give clause ``c`` its evidence: its own; else those of the clauses
    reported beside it (C2-C4 are checked in C1's scenarios, W1, W2, W7, W8 and S3 in every write
    scenario); else every scenario whose answers its checks read."""
    own = [o for o in outcomes if o["clause"] == c.id]
    if own:
        return own
    if c.group != "every endpoint":
        beside = [o for o in outcomes if o.get("endpoint") is None and o["clause"] in clauses.BY_ID
                  and clauses.get(o["clause"]).group == c.group]
        if beside:
            return beside
    if c.endpoint is None:
        return outcomes
    return [o for o in outcomes if o.get("endpoint") == c.endpoint or c.endpoint in o.get("uses", ())]


def uncovered(c: clauses.Clause, outcomes: list[dict[str, Any]]) -> tuple[str, list[str]]:
    """A clause none of whose checks ran: "not run" with the reasons of the scenarios that would
    check it when none of them ran, else "not covered" and why they gave it nothing."""
    found = carriers(c, outcomes)
    if not found:
        return "not covered", ["no scenario of this run checks it (deselected: -k or --endpoint)"]
    ran = [o for o in found if o["status"] != Status.NOT_RUN.value and not o["transport_error"]]
    if not ran:
        return Status.NOT_RUN.value, sorted({o["reason"] if o["status"] == Status.NOT_RUN.value
                                             else "a transport problem stopped it (TRANSPORT)" for o in found})
    stopped = [o for o in ran if o["status"] == Status.FAILED.value]
    earlier = sorted({f["clause"] for o in stopped for f in o["failures"]}, key=_contract_order)
    example = f"'{ran[0]['id']}'" + (f" and {len(ran) - 1} more" if len(ran) > 1 else "")
    if len(stopped) == len(ran):
        what = (f"an earlier check failed in every scenario that checks it ({', '.join(earlier)})" if earlier
                else "every scenario that checks it failed before its checks ran")
        return "not covered", [f"not reached: {what}: {example}"]
    also = f"; {len(stopped)} of them stopped at an earlier failure ({', '.join(earlier)})" if earlier else ""
    return "not covered", [f"not reached: the scenarios that check it ran ({example}), but no answer had what "
                           f"it checks{also}"]


def _contract_order(clause_id: str) -> int:
    return list(clauses.BY_ID).index(clause_id) if clause_id in clauses.BY_ID else len(clauses.BY_ID)


def _unselected(c: clauses.Clause, selected: list[str]) -> list[str]:
    """The endpoints a clause needs that ``--endpoint`` left out (C and the writes need both reads)."""
    if c.endpoint is None and c.family != "C":
        return []
    needed = [c.endpoint] if c.endpoint in endpoints.READS else list(endpoints.READS)
    return [f"relations/{n}" for n in needed if n not in selected]


V72_HINT = 'the target answers like v72 but the target file says api_version = "v74": set api_version = "v72"'


def hints(rec: dict[str, Any]) -> list[dict[str, str]]:
    """Notes that explain failures, beside them (never instead of them): an ``api_version`` that the
    answers contradict (every get_counter success without the v74 totals) is said once."""
    out = []
    if rec["target"]["api_version"] == "v74" and not rec["held"].get("D5"):
        d5 = [f for o in rec["outcomes"] for f in o["failures"] if f["clause"] == "D5"]
        missing = [f for f in d5 if f["message"].endswith("'total' is a required property")]
        if d5 and len(missing) == len(d5) and any(f["path"] == "$.data" for f in missing):
            out.append({"clause": "D5", "text": V72_HINT})
    return out
