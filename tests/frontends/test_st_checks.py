"""The schemathesis module passes on the reference endpoint and catches the faults it can see."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "ALTCRAFT_API_TOKEN"}
    with tempfile.TemporaryDirectory() as reports:
        return subprocess.run([sys.executable, "-m", "pytest", "contract_tests/test_schemathesis.py", "-q",
                               "-p", "no:cacheprovider", "--hypothesis-profile", "quick", "--reports-dir", reports,
                               *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("transport", ["loopback", "inprocess"])
def test_passes_on_the_reference_endpoint(transport: str) -> None:
    proc = run_module("--transport", transport)
    assert proc.returncode == 0, proc.stdout[-3000:]


@pytest.mark.parametrize(("fault", "words"), [("xxh_seed_1", "(D2)"), ("error_as_string", "(E1)")])
def test_catches_what_it_can_see(fault: str, words: str) -> None:
    proc = run_module("--fault", fault)
    assert proc.returncode == 1 and words in proc.stdout, proc.stdout[-3000:]


def _group(*failures: object, answer: str = '{"error": 0}') -> BaseExceptionGroup:  # type: ignore[type-arg]
    from schemathesis.core.failures import FailureGroup

    message = (f"Schemathesis found {len(failures)} distinct failure(s)\n\n- ...\n\n[200] OK:\n\n    `{answer}`\n\n"
               "Reproduce with:\n\n    curl -X POST -H 'Authorization: [Filtered]' http://t/api/v1.1/relations/get_counter\n")
    return FailureGroup(list(failures), message)  # type: ignore[arg-type]


def _custom(check: str, message: str) -> object:
    from schemathesis.core.failures import CustomFailure

    return CustomFailure(operation="POST /x", title=f"Custom check failed: `{check}`", message=message,
                         exception=AssertionError(message))


def test_a_failure_reads_as_the_checks_that_failed_each_with_its_clause() -> None:
    from schemathesis.core.failures import ServerError

    from altcraft_contract.frontends import st_checks

    inner = _group(_custom("profile_xxh_is_xxhash64", "profile_xxh 'a' != 'b' (D2)"),
                   _custom("answer_is_an_envelope", "HTTP 404 is not allowed for error 0 (E4)"),
                   ServerError(operation="POST /x", status_code=500))
    exc = BaseExceptionGroup("Hypothesis found 1 distinct failure", [inner])  # as pytest gets it: nested
    found = st_checks.found(exc, "R6")
    # schemathesis' own check names no clause: it is filed beside the first of ours (as it always was)
    assert [(f.clause, f.check) for f in found] == [("D2", "profile_xxh_is_xxhash64"), ("E4", "answer_is_an_envelope"),
                                                    ("D2", "not_a_server_error")]
    assert [f.clause for f in st_checks.found(_group(ServerError(operation="POST /x", status_code=500)), "R6")] == ["R6"]
    text = st_checks.describe(exc, found, "POST /api/v1.1/relations/get_counter", "ALTCRAFT_API_TOKEN")
    assert "Exception Group" not in text and "sub-exception" not in text and "Traceback" not in text
    assert text.splitlines()[:4] == ["schemathesis: 3 check(s) failed on POST /api/v1.1/relations/get_counter",
                                     "- [D2] profile_xxh_is_xxhash64: profile_xxh 'a' != 'b' (D2)",
                                     "- [E4] answer_is_an_envelope: HTTP 404 is not allowed for error 0 (E4)",
                                     "- [D2] not_a_server_error: Server error"]
    assert "  Reproduce with: curl -X POST" in text and '"$ALTCRAFT_API_TOKEN"' in text


def test_a_failure_text_is_bounded_inert_and_redacted() -> None:
    from altcraft_contract.frontends import st_checks
    from altcraft_contract.wire.redact import add_secret, clear_secrets

    add_secret("st-secret-token-0123")
    try:
        hostile = "x (R4) \x1b[2J st-secret-token-0123\n::error::pwned " + "y" * 10_000 + " (D2)"
        many = [_custom(f"check_{i}", f"{hostile} {i}") for i in range(15)]
        exc = _group(*many, answer=hostile)
        found = st_checks.found(exc, "R6")
        text = st_checks.describe(exc, found, "POST /x", "T")
    finally:
        clear_secrets()
    assert "st-secret-token-0123" not in text and "\x1b" not in text
    assert not any(line.lstrip().startswith("::") for line in text.splitlines())
    assert len(text) < 12_000 and "and 5 more check(s)" in text
    # An unknown check's clause is the item's; a clause quoted from the answer never re-files it.
    assert {f.clause for f in found} == {"R6"}
    assert st_checks.found(_group(_custom("profile_xxh_is_xxhash64", "profile_xxh 'x (R4)' != 'b' (D2)")),
                           "R6")[0].clause == "D2"


def test_the_tool_stopping_on_itself_blames_nothing_on_the_target() -> None:
    """A Hypothesis health check (or any error that is not a check failing) judged nothing: it is
    no check's failure, and ``unjudged`` names it, once, bounded and inert."""
    from hypothesis.errors import FailedHealthCheck

    from altcraft_contract.frontends import st_checks

    stop = FailedHealthCheck("too slow \x1b[2J" + "z" * 5_000)
    assert st_checks.found(BaseExceptionGroup("g", [stop, FailedHealthCheck(str(stop))]), "R6") == []
    problems = st_checks.unjudged(BaseExceptionGroup("g", [stop, FailedHealthCheck(str(stop))]))
    assert len(problems) == 1 and problems[0].startswith("FailedHealthCheck: too slow")
    assert "\x1b" not in problems[0] and len(problems[0]) < 400
    # Beside a real check failure, the failure is what is filed.
    mixed = _group(_custom("profile_xxh_is_xxhash64", "profile_xxh 'a' != 'b' (D2)"), stop)
    assert [f.check for f in st_checks.found(mixed, "R6")] == ["profile_xxh_is_xxhash64"]


def test_a_suite_error_in_the_module_is_an_error_not_a_failure_of_the_target() -> None:
    """The plugin ``tests/frontends/st_stops.py`` makes every case raise a Hypothesis error: the
    item fails as ERROR (not a verdict), results.json files no failure under any clause, and the
    run's verdict says no contract failure."""
    import json

    with tempfile.TemporaryDirectory() as reports:
        env = {k: v for k, v in os.environ.items() if k != "ALTCRAFT_API_TOKEN"}
        proc = subprocess.run([sys.executable, "-m", "pytest", "contract_tests/test_schemathesis.py", "-q",
                               "-p", "no:cacheprovider", "-p", "tests.frontends.st_stops", "--hypothesis-profile",
                               "quick", "--reports-dir", reports], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300, check=False)
        rec = json.loads((Path(reports) / "results.json").read_text())
    assert proc.returncode == 1, proc.stdout[-3000:]
    assert "ERROR (not a verdict on the target): the suite could not judge this item: FailedHealthCheck" in proc.stdout
    st = [o for o in rec["scenarios"] if o["id"].startswith("schemathesis")]
    assert st and all(o["status"] == "failed" and o["failures"] == [] for o in st), st
    assert all("FailedHealthCheck" in o["reason"] for o in st)
    assert not any(c["failures"] or c["result"] == "failed" for c in rec["clauses"]), rec["clauses"]
    assert "no contract failure" in proc.stdout.splitlines()[-1], proc.stdout[-500:]
