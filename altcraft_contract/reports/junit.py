"""What the suite adds to JUnit: pytest writes the test cases (each with its ``clause`` properties,
set by the front end), and this adds the run's verdict, so a JUnit reader sees what the exit status,
the terminal's last line and the HTML headline say.

- every run: testsuite properties ``altcraft.verdict``, ``altcraft.exit_status`` and ``altcraft.reason``;
- a verdict the cases cannot tell (CHANGED, INCOMPLETE, STOPPED: every case may have passed) also
  gets one test case of its own, ``altcraft-contract`` › ``run verdict``, failed (CHANGED) or in
  error (the run did not finish), whose message is the verdict;
- a run stopped before pytest could write anything gets a JUnit file with that one case.

Text here is the verdict's, already made inert; it is cut and escaped once more on the way in.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from defusedxml.ElementTree import parse

from ..wire.redact import cut, redact, safe

CASE_CLASS, CASE_NAME = "altcraft-contract", "run verdict"
TOLD_BY_THE_CASES = ("PASS", "FAIL", "DRY RUN")  # the cases' own results say these


def _text(verdict: dict[str, Any]) -> str:
    return redact(cut(safe(f"{verdict['word']} (exit {verdict['exit_status']}): {verdict['text']}", one_line=True), 1000))


def _properties(suite: ET.Element, verdict: dict[str, Any]) -> None:
    props = suite.find("properties")
    if props is None:
        props = ET.Element("properties")
        suite.insert(0, props)  # JUnit's schema puts a suite's properties first
    for name, value in (("altcraft.verdict", verdict["word"]), ("altcraft.exit_status", str(verdict["exit_status"])),
                        ("altcraft.reason", _text(verdict))):
        ET.SubElement(props, "property", name=name, value=value)


def _verdict_case(suite: ET.Element, verdict: dict[str, Any]) -> None:
    kind = "failure" if verdict["word"] == "CHANGED" else "error"
    case = ET.SubElement(suite, "testcase", classname=CASE_CLASS, name=CASE_NAME, time="0")
    outcome = ET.SubElement(case, kind, message=_text(verdict))
    outcome.text = _text(verdict)
    counter = "failures" if kind == "failure" else "errors"
    for name in ("tests", counter):
        suite.set(name, str(int(suite.get(name, "0")) + 1))


def add_verdict(path: str | Path, verdict: dict[str, Any]) -> None:
    """Put the run's verdict into the JUnit file pytest wrote (no-op when there is none)."""
    p = Path(path)
    if not p.is_file():
        return
    tree = parse(str(p))
    root = tree.getroot()
    suite = root if root is None or root.tag == "testsuite" else root.find("testsuite")
    if suite is None:
        return
    _properties(suite, verdict)
    if verdict["word"] not in TOLD_BY_THE_CASES:
        _verdict_case(suite, verdict)
    tree.write(str(p), encoding="utf-8", xml_declaration=True)


def write_stopped(path: str | Path, verdict: dict[str, Any]) -> str:
    """A JUnit file for a run that stopped before any test ran: the verdict as its one case."""
    root = ET.Element("testsuites")
    suite = ET.SubElement(root, "testsuite", name="altcraft-contract", tests="0", failures="0", errors="0",
                          skipped="0")
    _properties(suite, verdict)
    _verdict_case(suite, verdict)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(str(path), encoding="utf-8", xml_declaration=True)
    return str(path)
