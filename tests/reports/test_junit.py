"""The verdict in JUnit: suite properties always, and a case of its own when the cases cannot tell it
(every case may have passed), inert and counted; a stopped run gets a JUnit file with that case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from altcraft_contract.reports import junit
from altcraft_contract.wire.redact import add_secret, clear_secrets

PYTEST_JUNIT = ('<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" '
                'errors="0" failures="0" skipped="1" tests="2" time="1.0"><testcase classname="contract_tests.test_x" '
                'name="test_a" time="0.1"><properties><property name="clause" value="M2" /></properties></testcase>'
                '<testcase classname="contract_tests.test_x" name="test_b" time="0.1"><skipped message="not run" />'
                '</testcase></testsuite></testsuites>')


def verdict(word: str, status: int, text: str = "why") -> dict[str, object]:
    return {"word": word, "exit_status": status, "text": text}


def suite_of(path: Path) -> ET.Element:
    return next(ET.parse(path).getroot().iter("testsuite"))


@pytest.mark.parametrize(("word", "status", "kind"), [("CHANGED", 10, "failure"), ("INCOMPLETE", 11, "error"),
                                                      ("STOPPED", 2, "error")])
def test_a_verdict_the_cases_cannot_tell_is_a_case_of_its_own(tmp_path: Path, word: str, status: int,
                                                              kind: str) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(PYTEST_JUNIT, encoding="utf-8")
    junit.add_verdict(path, verdict(word, status, "2 changes"))
    suite = suite_of(path)
    props = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert props["altcraft.verdict"] == word and props["altcraft.exit_status"] == str(status)
    case = [c for c in suite.iter("testcase") if c.get("name") == "run verdict"]
    assert len(case) == 1 and case[0].find(kind).get("message") == f"{word} (exit {status}): 2 changes"  # type: ignore[union-attr]
    assert suite.get("tests") == "3" and suite.get(f"{kind}s") == "1"
    assert [p.get("value") for p in suite.iter("property") if p.get("name") == "clause"] == ["M2"]  # cases kept


@pytest.mark.parametrize(("word", "status"), [("PASS", 0), ("FAIL", 1)])
def test_pass_and_fail_are_told_by_the_cases(tmp_path: Path, word: str, status: int) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(PYTEST_JUNIT, encoding="utf-8")
    junit.add_verdict(path, verdict(word, status))
    suite = suite_of(path)
    assert suite.get("tests") == "2" and not [c for c in suite.iter("testcase") if c.get("name") == "run verdict"]
    assert suite.find("properties/property[@name='altcraft.verdict']").get("value") == word  # type: ignore[union-attr]


def test_verdict_text_is_inert_and_redacted(tmp_path: Path) -> None:
    add_secret("secret-token-123456")
    try:
        path = junit.write_stopped(tmp_path / "junit.xml",
                                   verdict("STOPPED", 69, "target said \x1b[2J secret-token-123456 <b>&"))
    finally:
        clear_secrets()
    text = Path(path).read_text(encoding="utf-8")
    assert "secret-token-123456" not in text and "\x1b" not in text and "<b>" not in text
    suite = suite_of(Path(path))
    assert suite.get("tests") == "1" and suite.get("errors") == "1"
    assert "STOPPED (exit 69): target said \\x1b[2J <redacted> <b>&" in suite.find("testcase/error").get("message")  # type: ignore[union-attr,operator]


def test_no_file_no_change(tmp_path: Path) -> None:
    junit.add_verdict(tmp_path / "absent.xml", verdict("CHANGED", 10))
    assert not (tmp_path / "absent.xml").exists()
