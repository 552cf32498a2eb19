"""The HTML report: one self-contained file (inline CSS and JS, no links to click through)."""

from __future__ import annotations

import json
from typing import Any

from defusedxml.minidom import parseString
from jinja2 import Environment, PackageLoader, select_autoescape

from .results import failure_groups


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


_ENV = Environment(loader=PackageLoader("altcraft_contract", "templates"), autoescape=select_autoescape(["j2"]))
_ENV.filters["pretty"] = pretty
_ENV.filters["pretty_body"] = pretty_body


def render(doc: dict[str, Any]) -> str:
    """The report for a results document (as written to results.json)."""
    families: dict[str, list[dict[str, Any]]] = {}
    for row in doc["clauses"]:  # in contract order, which Jinja's groupby would sort away
        families.setdefault(row["family"], []).append(row)
    return _ENV.get_template("report.html.j2").render(doc=doc, families=list(families.items()),
                                                       groups=failure_groups(doc))
