"""Reporting: the terminal summary and the files under reports/ (results.json, report.html).

Reporters read the merged results record only; they never change a result.
"""

from __future__ import annotations

import html
import json
import re
import shlex
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..checks.failures import render_grouped
from ..wire.redact import redact, safe
from . import html_page, junit
from .results import failure_groups, grouped_clauses

if TYPE_CHECKING:
    from ..run.runner import Outcome


def failure_text(out: Outcome, shown: dict[tuple[str, str, str, str], str] | None = None) -> str:
    """A failed scenario for the terminal and JUnit; alike failures once (``render_grouped``)."""
    head = f"{len(out.failures)} contract failure(s): {', '.join(sorted(out.failed_clauses))}"
    if out.scenario.clause not in out.failed_clauses:  # found by another clause's scenario: say whose
        head += f" (in a scenario of {out.scenario.clause})"
    return head + "\n" + render_grouped(out.failures, shown=shown, where=f"'{out.scenario.id}'")


def _clause_line(row: dict[str, Any]) -> str:
    extra = f" - waived: {row['waiver']}" if row["waiver"] else ""
    extra += f" - {row['reason']}" if row.get("reason") and row["result"] != "blocked" else ""
    result = f"blocked by {', '.join(row['blocked_by'])}" if row["result"] == "blocked" else row["result"]
    return f"  {row['clause']:<8} {result:<12} {row['title']}{extra}"


def kind_line(g: dict[str, Any]) -> str:
    """One kind of failure for the terminal: clause, check, where (when it has a place) and how often."""
    where = f" at {g['path']}" if g["path"] else ""
    return (f"  {g['clause']:<8} {g['check']}{where}: {g['count']} in {len(g['scenarios'])} scenario(s), "
            f"first in '{g['example_scenario']}'")


def summary_lines(doc: dict[str, Any]) -> list[str]:
    t, h = doc["target"], doc["hypothesis"]
    lines = [f"altcraft-contract: {t['base_url']} ({t['source']}), api {t['api_version']}, "
             f"hypothesis profile {h['profile']}, seed {h['seed']}, {doc['requests']} requests", "endpoints:"]
    for e in doc["endpoints"]:
        counts = ", ".join(f"{n} {s}" for s, n in e["scenarios"].items() if n)
        failed = f" (failed: {', '.join(e['clauses_failed'])})" if e["clauses_failed"] else ""
        lines.append(f"  {e['path']:<34} {e['result']:<14} {e['reason'] or counts or '-'}{failed}")
    lines.append("clause results (by endpoint, then family):")
    for group, rows in grouped_clauses(doc):
        lines.append(f" {group}")
        lines += [_clause_line(row) for row in rows]
    groups = failure_groups(doc)
    hints = {h["clause"]: h["text"] for h in doc.get("hints", [])}
    if groups:
        lines.append("failures by kind (alike failures counted once):")
        for i, g in enumerate(groups):
            lines.append(kind_line(g))
            last_of_clause = i + 1 == len(groups) or groups[i + 1]["clause"] != g["clause"]
            if last_of_clause and g["clause"] in hints:  # said once, beside the failures it explains
                lines.append(f"  note: {hints.pop(g['clause'])}")
    lines += [f"note: {text}" for text in hints.values()]
    cov = doc.get("input_coverage")
    if cov and cov["classes"]:  # the input model: field x class x format combinations sent
        lines.append(f"input coverage: {cov['sent']} of {cov['classes']} field x class x format combinations sent")
    if doc["target"].get("ignored_keys"):
        lines.append("target file keys the suite does not use: " + ", ".join(doc["target"]["ignored_keys"]))
    if doc["undocumented_fields"]:
        lines.append("undocumented fields seen (D7, not failures): " + ", ".join(doc["undocumented_fields"]))
    changes = doc.get("behaviour_changes")
    if changes is not None:
        lines.append(f"behaviour changes since the baseline: {len(changes['changes'])}")
        for c in changes["changes"]:
            lines.append(f"  {c['kind']}: {c['path']} ({_short(c['before'])} -> {_short(c['after'])}) "
                         f"in {len(c['probes'])} probe(s)")
    return lines


def _short(v: Any) -> str:
    text = json.dumps(v, ensure_ascii=False)
    return text if len(text) < 60 else text[:57] + "..."


REPORT_FILES = ("results.json", "report.html", "junit.xml")


def write_all(doc: dict[str, Any], directory: str) -> list[str]:
    """results.json and report.html; both pass ``redact`` once more on their way out."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    path = out / "results.json"
    path.write_text(redact(json.dumps(doc, indent=2, ensure_ascii=False)), encoding="utf-8")
    written.append(str(path))
    page = out / "report.html"
    page.write_text(redact(html_page.render(doc)), encoding="utf-8")
    written.append(str(page))
    written += write_replays(doc, out)
    return written


def _sh(text: str) -> str:
    """Text safe inside a double-quoted shell word (a base URL, a variable name)."""
    return "".join(c for c in safe(text, one_line=True) if c.isalnum() or c in ":/._-[]@%+=,~")


def _on_base_url(curl: str, base_url: str) -> str:
    """A curl line with the target's URL replaced by ``"$BASE_URL"`` (a replay may go elsewhere)."""
    parts = curl.split(" ", 5)
    if len(parts) < 5:
        return curl
    url = shlex.split(parts[4])[0] if parts[4] else ""
    base = base_url.rstrip("/")
    if not url.startswith(base):
        return curl
    return " ".join([*parts[:4], f'"$BASE_URL"{shlex.quote(url[len(base):])}', *parts[5:]])


def write_replays(doc: dict[str, Any], out: Path) -> list[str]:
    """For each failed write scenario, ``replay-writes-<n>.sh``: its steps' curl lines in order (the
    token read from the environment), so a failing sequence replays outside the suite."""
    written = []
    failed = [sc for sc in doc["scenarios"] if sc["clause"][0] in "WS" and sc["failures"]]
    for n, sc in enumerate(failed, 1):
        f = next((f for f in sc["failures"] if f["exchanges"]), None)
        if f is None:
            continue
        lines = ["#!/bin/sh", f"# {safe(sc['id'], one_line=True)}", f"# [{f['clause']}] {safe(f['title'], one_line=True)}",
                 "# WARNING: this writes to the target again, and nothing here puts it back. Afterwards",
                 "# restore the links by hand (edit and detach) to the state the run started from:",
                 *[f"#   {safe(m, one_line=True)}" for m in re.findall(r"state before step 1: \[([^\]]*)\]", f["message"])[:1]],
                 "# The last request reads relations/get, so the end of the output shows where they are.",
                 "set -e", f": \"${{BASE_URL:={_sh(doc['target']['base_url'])}}}\"",
                 *[f": \"${{{var}:?export the API token first}}\"" for var in sorted(
                     {v for ex in f["exchanges"] for v in re.findall(r"\$([A-Z_][A-Z0-9_]*)", ex["curl"])} - {"BASE_URL"})]]
        for i, ex in enumerate(f["exchanges"], 1):
            lines += [f"echo '--- request {i}: {ex['method']} {safe(ex['url'], one_line=True)}'",
                      safe(_on_base_url(ex["curl"], doc["target"]["base_url"]), one_line=True), "echo"]
        path = out / f"replay-writes-{n}.sh"
        path.write_text(redact("\n".join(lines) + "\n"), encoding="utf-8")
        path.chmod(0o755)  # run it as ./replay-writes-1.sh
        written.append(str(path))
    return written


def clear_stale(directory: str) -> None:
    """Remove the previous run's reports before this one starts: a stale report read as this run's
    is worse than none."""
    for name in REPORT_FILES:
        (Path(directory) / name).unlink(missing_ok=True)
    for old in Path(directory).glob("replay-writes-*.sh"):
        old.unlink(missing_ok=True)


def write_stopped(directory: str, exit_status: int, reason: str, junit_path: str | None = None,
                  details: dict[str, Any] | None = None) -> list[str]:
    """A run that ends before it starts still leaves a report: why it stopped, and its status (also
    in JUnit, as its one case, so every output tells the same story; ``details``: more of what it
    saw, such as the preflight's reads)."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    verdict = {"word": "STOPPED", "exit_status": exit_status, "text": safe(reason, one_line=True)}
    doc = {"suite_version": __version__, "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
           "stopped": {"exit_status": exit_status, "reason": safe(reason)}, "verdict": verdict, **(details or {})}
    (out / "results.json").write_text(redact(json.dumps(doc, indent=2, ensure_ascii=False)), encoding="utf-8")
    text = html.escape(safe(reason))
    (out / "report.html").write_text(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Contract run stopped</title>"
        "</head><body style=\"font:14px system-ui;margin:28px\"><h1>Contract run stopped before it ran "
        f"<span id=\"verdict\" style=\"color:#cf222e\">STOPPED</span></h1><p id=\"reason\">{text}</p>"
        f"<p>Exit status <span id=\"exit-status\">{exit_status}</span>. No scenario ran; nothing here is a verdict "
        f"on the target.</p><p class=\"meta\">{doc['generated_at']}, suite {__version__}</p></body></html>",
        encoding="utf-8")
    written = [str(out / "results.json"), str(out / "report.html")]
    return [*written, junit.write_stopped(junit_path or out / "junit.xml", verdict)]
