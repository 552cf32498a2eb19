"""Every way a run ends tells one story: the exit status, the terminal's last line, the HTML headline,
results.json and JUnit say the same thing (PASS 0, FAIL 1, STOPPED 2, CHANGED 10, INCOMPLETE 11,
STOPPED for a one-line stop; 69 in tests/wire/test_safety.py). Real runs, each kept small with -k."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.suite import ROOT, run_suite

SMALL = ["-k", "documented"]  # two scenarios: the story, not the suite, is under test here


def story(out: str, reports: Path) -> dict[str, object]:
    """What each output says: the last line, the headline, results.json's verdict, JUnit's."""
    lines = [ln for ln in out.splitlines() if ln.strip()]
    html = (reports / "report.html").read_text(encoding="utf-8")
    headline = re.search(r'id="verdict"[^>]*>([^<]+)<', html)
    doc = json.loads((reports / "results.json").read_text(encoding="utf-8"))
    suite = next(ET.parse(reports / "junit.xml").getroot().iter("testsuite"))
    props = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    case = next((c for c in suite.iter("testcase") if c.get("name") == "run verdict"), None)
    return {"last": lines[-1], "headline": headline.group(1) if headline else None, "json": doc["verdict"],
            "junit": (props.get("altcraft.verdict"), props.get("altcraft.exit_status")),
            "junit_case": None if case is None else [(e.tag, e.get("message")) for e in case],
            "junit_failures": int(suite.get("failures", "0")) + int(suite.get("errors", "0"))}


def agrees(s: dict[str, object], word: str, status: int) -> None:
    assert re.match(rf"(Exit: )?altcraft-contract: {word} \(exit {status}\): ", str(s["last"])), s["last"]
    assert s["headline"] == word
    assert s["json"]["word"] == word and s["json"]["exit_status"] == status  # type: ignore[index]
    assert s["junit"] == (word, str(status))
    if word in ("PASS", "FAIL"):  # the cases tell it: no case of the verdict's own
        assert s["junit_case"] is None and (s["junit_failures"] > 0) == (word == "FAIL")
    else:  # every case may have passed: the verdict is a case of its own, so JUnit is not all green
        kind = "failure" if word == "CHANGED" else "error"
        assert s["junit_case"] and s["junit_case"][0][0] == kind  # type: ignore[index]
        assert str(s["junit_case"][0][1]).startswith(f"{word} (exit {status})")  # type: ignore[index]


def test_pass_then_changed(tmp_path: Path) -> None:
    base = tmp_path / "baseline.json"
    rec = run_suite("--record-baseline", str(base), "--reports-dir", str(tmp_path / "a"), *SMALL)
    assert rec.returncode == 0, rec.stdout[-2000:]
    s = story(rec.stdout, tmp_path / "a")
    agrees(s, "PASS", 0)
    # Two scenarios ran: the PASS says how much of the contract they did not reach.
    assert re.search(r"; [1-9][0-9]* clause\(s\) not covered by what ran", str(s["last"])), s["last"]
    cmp = run_suite("--compare-baseline", str(base), "--reports-dir", str(tmp_path / "b"),
                    "--reference-variant", "not-found-1001", *SMALL)
    assert cmp.returncode == 10, cmp.stdout[-2000:]
    s = story(cmp.stdout, tmp_path / "b")
    agrees(s, "CHANGED", 10)
    assert "passed" not in str(s["last"]).split(":")[1]  # the last line leads with the change, not "2 passed"


def test_fail(tmp_path: Path) -> None:
    proc = run_suite("--fault", "xxh_seed_1", "--reports-dir", str(tmp_path), *SMALL)
    assert proc.returncode == 1, proc.stdout[-2000:]
    s = story(proc.stdout, tmp_path)
    agrees(s, "FAIL", 1)
    assert "D2" in str(s["last"])


def test_incomplete(tmp_path: Path) -> None:
    proc = run_suite("--request-budget", "3", "--reports-dir", str(tmp_path), "-k", "M1 or M5")
    assert proc.returncode == 11, proc.stdout[-2000:]
    agrees(story(proc.stdout, tmp_path), "INCOMPLETE", 11)


@pytest.mark.parametrize("when", ["preflight", "first result"])
def test_interrupted(tmp_path: Path, when: str) -> None:
    """A Ctrl-C while the run starts its scenarios (once a hang in CI), or once they report."""
    env = {k: v for k, v in os.environ.items() if k != "ALTCRAFT_API_TOKEN"}
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "contract_tests", "-p", "no:cacheprovider", "-q",
                             "--hypothesis-profile", "quick", "--reports-dir", str(tmp_path), "-k", "R4 and not schemathesis",
                             "--reference-latency-ms", "100"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    seen = ""
    # "preflight": the moment its line is printed, the scenarios are being started in the background.
    # "first result": a result character at the start of a line; the scenarios run, far from done.
    while not (seen.endswith("preflight:") if when == "preflight" else re.search(r"(^|\n)[.FsEx]$", seen)):
        char = proc.stdout.read(1)
        assert char, seen
        seen += char
    proc.send_signal(signal.SIGINT)
    out = seen + proc.communicate(timeout=120)[0]
    assert proc.returncode == 2, out[-2000:]
    agrees(story(out, tmp_path), "STOPPED", 2)


def test_a_one_line_stop(tmp_path: Path) -> None:
    proc = run_suite("--target", "missing.toml", "--reports-dir", str(tmp_path))
    assert proc.returncode == 66
    agrees(story(proc.stdout + proc.stderr, tmp_path), "STOPPED", 66)
