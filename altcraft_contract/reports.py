"""Reporting: the terminal summary and the files under reports/ (results.json, report.html).

Reporters read the merged results record only; they never change a result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import html_report

if TYPE_CHECKING:
    from .runner import Outcome


def failure_text(out: Outcome) -> str:
    head = f"{len(out.failures)} contract failure(s): {', '.join(sorted(out.failed_clauses))}"
    return head + "\n" + "\n".join(f.render() for f in out.failures[:10])


def summary_lines(doc: dict[str, Any]) -> list[str]:
    t, h = doc["target"], doc["hypothesis"]
    lines = [f"altcraft-contract: {t['base_url']} ({t['source']}), api {t['api_version']}, "
             f"hypothesis profile {h['profile']}, seed {h['seed']}, {doc['requests']} requests", "clause results:"]
    for row in doc["clauses"]:
        extra = f" - waived: {row['waiver']}" if row["waiver"] else ""
        extra += f" - {'; '.join(row['not_run_reasons'])}" if row["result"] == "not run" else ""
        lines.append(f"  {row['clause']:<8} {row['result']:<12} {row['title']}{extra}")
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


def write_all(doc: dict[str, Any], directory: str) -> list[str]:
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    path = out / "results.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    written.append(str(path))
    html = out / "report.html"
    html.write_text(html_report.render(doc), encoding="utf-8")
    written.append(str(html))
    return written

