"""The HTML report: one self-contained file (inline CSS and JS, no links to click through)."""

from __future__ import annotations

import json
from typing import Any

from defusedxml.minidom import parseString
from jinja2 import Environment, PackageLoader, select_autoescape

from ..wire.redact import safe
from .results import failure_groups, grouped_clauses


def pretty(value: Any) -> str:
    """A value as reviewers read it: strings as they are, everything else as indented JSON."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    return json.dumps(value, indent=2, ensure_ascii=False)


def pretty_body(text: str) -> str:
    """A JSON or XML body, indented when it parses; as it came otherwise."""
    stripped = text.strip()
    try:
        if stripped.startswith(("{", "[")):
            return json.dumps(json.loads(stripped), indent=2, ensure_ascii=False)
        if stripped.startswith("<"):
            pretty_xml: str = parseString(stripped).toprettyxml(indent="  ")
            return "\n".join(line for line in pretty_xml.splitlines() if line.strip())
    except Exception:  # a body that does not parse is shown as it is; it may be the failure
        return text
    return text


def _inert(value: Any) -> Any:
    """Every printed value: control characters from the target shown escaped (a report may be read
    with `cat` or `less -R` too), secrets masked."""
    return safe(value) if isinstance(value, str) else value


_ENV = Environment(loader=PackageLoader("altcraft_contract.reports", "templates"), autoescape=select_autoescape(["j2"]),
                   finalize=_inert)
_ENV.filters["pretty"] = pretty
_ENV.filters["pretty_body"] = pretty_body


def render(doc: dict[str, Any]) -> str:
    """The report for a results document (as written to results.json)."""
    # By endpoint, then family, in contract order (which Jinja's groupby would sort away).
    return _ENV.get_template("report.html.j2").render(doc=doc, families=grouped_clauses(doc),
                                                       groups=failure_groups(doc),
                                                       input_grid=input_coverage_grid(doc))


# --- input coverage: rows of field x class, one cell per format -----------------------------------

def input_coverage_grid(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The coverage rows grouped by field, then class, with a cell per format (json, xml)."""
    fields: dict[str, dict[str, dict[str, Any]]] = {}
    for row in doc.get("input_coverage", {}).get("rows", []):
        fields.setdefault(row["field"], {}).setdefault(row["class"], {})[row["format"]] = row
    return [{"field": name, "classes": list(classes.items()),
             "unsent": sum(not c["sent"] for cells in classes.values() for c in cells.values())}
            for name, classes in fields.items()]
