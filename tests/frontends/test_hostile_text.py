"""The suite against servers that echo the token and send text meant for a terminal or a CI runner
(issue 8, points 1, 2 and 9): nothing the suite prints or writes holds the token in any encoding,
and the target's text is inert. Each test first showed its bug as a strict xfail; the fixes hold."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests import hostile
from tests.hostile import Seen
from tests.hostile_runs import FIXED, HOSTILE_TEXT, REPORTS, VERBOSE, _run, canary, clause, failures_by_clause, outputs, results

# -- 1 and 9: a server that echoes the request (token included) and hostile text ------------------

def _echo(*args: str, token: str | None = None, raw: Callable[[Seen], bool] | None = None
          ) -> Callable[[Path], dict[str, Any]]:
    def make(where: Path) -> dict[str, Any]:
        core, tok = canary()
        app = hostile.Echo(token or tok, extra=HOSTILE_TEXT, raw=raw)
        # Echo answers even a well-formed read with an error (400): the preflight would stop there
        # (67, one line); these runs are about what the scenarios print, so they go past it.
        r = _run(app, where, *VERBOSE, "--skip-preflight", *args)
        r["core"] = core if token is None else token
        return r
    return make


@pytest.fixture(params=["one process", "-n 2"])
def echo_run(request: pytest.FixtureRequest, shared_run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    args = ("-n", "2", *FIXED) if request.param == "-n 2" else ()
    return shared_run(f"echo{len(args)}", _echo(*args))


def test_an_echoed_token_is_in_no_output(echo_run: dict[str, Any]) -> None:
    r = echo_run
    assert r["rc"] == 1, r["stdout"][-2000:]  # the echo breaks E2.text and others: failures were printed
    # The echo reached the outputs (masked), so the check below is not vacuous.
    echoed = re.compile(r"request body: .{0,400}?redacted")
    assert echoed.search(r["stdout"]) and echoed.search(r["files"]["junit.xml"])
    assert r["server"]["count"] > 50
    assert set(REPORTS) <= set(r["files"])
    leaked = {name: text.count(r["core"]) for name, text in outputs(r).items() if r["core"] in text}
    assert leaked == {}


def test_a_token_with_xml_specials_is_in_no_output(shared_run: Callable[..., dict[str, Any]]) -> None:
    core = "canary-" + secrets.token_hex(8)
    r = shared_run("echo-xml", _echo("-k", "P1 and not generated", token=core + '&"x',
                                           raw=lambda s: s.body.startswith(b"<")))
    assert r["server"]["count"] >= 3 and "<redacted>" in r["stdout"]
    leaked = {name: text.count(core) for name, text in outputs(r).items() if core in text}
    assert leaked == {}


def _ci_command_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if re.match(r"[ \t]*(::|##vso\[|##\[)", ln)]


def test_hostile_text_reaches_junit_inert(echo_run: dict[str, Any]) -> None:
    r = echo_run
    junit = r["files"]["junit.xml"]
    assert "FAKE-SUMMARY" in junit  # the server's text is there ...
    assert "\x1b" not in junit and "&#27;" not in junit and "\r" not in junit  # ... escaped
    assert _ci_command_lines(junit) == [] and _ci_command_lines(r["stdout"]) == []




@pytest.mark.parametrize("xdist", [pytest.param((), id="one process"),
                                   pytest.param(("-n", "2", *FIXED), id="-n 2")])
def test_hostile_text_reaches_the_terminal_inert(shared_run: Callable[..., dict[str, Any]],
                                                 xdist: tuple[str, ...]) -> None:
    out = shared_run(f"echo{len(xdist)}", _echo(*xdist))["stdout"]
    assert "FAKE-SUMMARY" in out
    # (CR becomes a line break in the captured text: a raw one puts the fake summary at a line start.)
    fake = [ln for ln in out.splitlines() if re.match(r"[\W_]*FAKE-SUMMARY", ln)]
    assert "\x1b[2J" not in out and fake == []


# -- 2: transport errors in the schemathesis module -------------------------------------------------

def _st(kind: str) -> Callable[[Path], dict[str, Any]]:
    def make(where: Path) -> dict[str, Any]:
        core, tok = canary()
        app: hostile.Hostile
        if kind == "drop":
            app = hostile.Drop(tok, lambda s: s.from_schemathesis)
        else:
            app = hostile.Stall(tok, lambda s: s.from_schemathesis, seconds=5.0)
        r = _run(app, where, "-k", "schemathesis", "--request-timeout", "1", *VERBOSE)
        r["core"] = core
        return r
    return make


@pytest.fixture(params=["drop", "stall"])
def st_run(request: pytest.FixtureRequest, shared_run: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return shared_run(f"st-{request.param}", _st(request.param))


def test_a_transport_error_in_schemathesis_leaks_no_token(st_run: dict[str, Any]) -> None:
    r = st_run
    st = [s for s in r["server"]["seen"] if s["st"]]
    assert st and (r["server"]["dropped"] or r["server"]["stalled"])  # the fault was met
    leaked = {name: text.count(r["core"]) for name, text in outputs(r).items() if r["core"] in text}
    assert leaked == {}


def test_a_transport_error_in_schemathesis_is_one_transport_line(st_run: dict[str, Any]) -> None:
    r = st_run
    out = r["stdout"]
    assert "INTERNALERROR" not in out and r["rc"] in (1, 69), r["rc"]
    assert "TRANSPORT (not a contract failure)" in out
    assert "Traceback" not in out and "urllib3/connectionpool.py" not in out
    doc = results(r)
    assert failures_by_clause(doc) == {} and clause(doc, "R6")["result"] != "failed"


def test_a_stalled_schemathesis_request_ends_at_the_timeout(shared_run: Callable[..., dict[str, Any]]) -> None:
    r = shared_run("st-stall", _st("stall"))
    assert r["server"]["stalled"]
    st = next(s for s in results(r)["scenarios"] if s["id"].startswith("schemathesis"))
    assert st["transport_error"] and st["status"] == "failed"
    assert st["seconds"] < 3.0, st  # --request-timeout 1, not the 5 s stall (nor schemathesis' 10 s)
