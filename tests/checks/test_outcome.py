"""How an answer is judged against its Expect: the near-miss outcome (not that profile), the profile
or a 400, and R6 probes with an outcome (their successes judged by E1 and E4 like any other)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import xxhash

from altcraft_contract import endpoints
from altcraft_contract.checks.all import run_checks
from altcraft_contract.contract.calls import BODY_TOKEN, Call, Expect
from altcraft_contract.reference.server import target_for
from altcraft_contract.wire.client import Exchange, parse_answer

TARGET = target_for("http://127.0.0.1:1", "v74")
A, B = "5c910f6bc484d023b1309bee", "669e6968ebf4ac52b623a997"


def _counter(pid: str) -> dict[str, Any]:
    return {"error": 0, "error_text": "Successful operation",
            "data": {"profile_id": pid, "profile_xxh": xxhash.xxh64_hexdigest(pid.encode()), "total": 0, "props": {}}}


def _links(pid: str) -> dict[str, Any]:
    b = "5c910938c484d023b1300bab"
    link = {"profile_id_a": pid, "xxh_a": xxhash.xxh64_hexdigest(pid.encode()), "profile_id_b": b,
            "xxh_b": xxhash.xxh64_hexdigest(b.encode()), "db_b": 9, "props": {"Like": {"value": 1}}}
    return {"error": 0, "error_text": "Successful operation", "data": [link], "total_count": 1}


def _error(code: int) -> dict[str, Any]:
    return {"error": code, "error_text": "Profile not found"}


def judged(expect: Expect, answer: dict[str, Any] | None, *, status: int = 200, path: str = endpoints.GET_COUNTER.path,
           method: str = "POST", body: bytes | None = None, raw: bytes | None = None) -> set[str]:
    """The clauses the per-exchange checks fail for ``answer`` to a call expecting ``expect``."""
    call = Call.of({"rel_id": 3, "matching": "email", "email": "john@example.invalid"}, path=path, method=method,
                   raw_body=raw)
    ex = Exchange(call, expect, "http://x" + path, {}, "", "", status=status,
                  response_headers={"content-type": "application/json"},
                  body=json.dumps(answer).encode() if body is None else body)
    parse_answer(ex)
    failures, _ = run_checks(ex, TARGET)
    return {f.clause for f in failures if f.severity == "error"}


NEAR = Expect.not_profile("R5", A, "a near-miss of A's email")


@pytest.mark.parametrize(("answer", "path", "failed"), [
    (_error(404), endpoints.GET_COUNTER.path, set()),  # nothing found: R5
    (_error(400), endpoints.GET_COUNTER.path, set()),  # R4's 400 is allowed too
    (_error(403), endpoints.GET_COUNTER.path, {"R5"}),  # 401-403 mean something else (R1)
    (_counter(B), endpoints.GET_COUNTER.path, set()),  # another profile
    (_counter(A), endpoints.GET_COUNTER.path, {"R5"}),  # the profile the value was derived from
    (_links(B), endpoints.GET.path, set()),
    (_links(A), endpoints.GET.path, {"R5"}),  # relations/get: the links of that profile
    ({**_links(A), "data": [], "total_count": 0}, endpoints.GET.path, set()),  # no link: no profile named
])
def test_a_near_miss_must_not_find_the_profile_it_was_derived_from(answer: dict[str, Any], path: str,
                                                                   failed: set[str]) -> None:
    assert judged(NEAR, answer, path=path) == failed


@pytest.mark.parametrize(("answer", "failed"), [
    (_counter(A), set()), (_error(400), set()), (_error(401), set()),
    (_error(404), {"R6"}),  # neither the request nor a refusal of the text
    (_error(403), {"R6"}), (_counter(B), {"R6"}),  # never another profile
])
def test_the_profile_or_a_refusal(answer: dict[str, Any], failed: set[str]) -> None:
    expect = Expect.found_or_none("R6", A, "a BOM", codes={400, 401}, forbidden=frozenset({402, 403}))
    assert judged(expect, answer, raw=b"\xef\xbb\xbf{}") == failed  # a refused text: its token was never read


def test_an_r6_probe_read_as_the_request_is_judged_by_e1_and_e4_like_any_success() -> None:
    expect = Expect.found_or_none("R6", A, "a duplicate key")
    assert judged(expect, _counter(A), status=201) == {"E4"}
    assert judged(expect, {k: v for k, v in _counter(A).items() if k != "error_text"}) == {"E1"}
    assert judged(expect, None, status=500, body=b"<html>500</html>") == {"R6"}


@pytest.mark.parametrize(("method", "status", "failed"), [("HEAD", 200, set()), ("OPTIONS", 204, set()),
                                                          ("HEAD", 500, {"R6"}), ("GET", 200, {"R6"})])
def test_a_head_or_options_answer_without_a_body_is_only_judged_by_its_status(method: str, status: int,
                                                                              failed: set[str]) -> None:
    assert judged(Expect.anything("R6", "another method"), None, status=status, method=method, body=b"") == failed


@pytest.mark.parametrize(("raw", "expect", "failed"), [
    # A text that carried a valid token the server could read: 401 contradicts R1.
    (b'{"token": "' + BODY_TOKEN.encode() + b'", "profile_id": [["x"]]}', Expect.error("R4", {400}), {"R1"}),
    # A text a strict reader may refuse whole, token and all: 401 is one of its readings.
    (b'\xef\xbb\xbf{"token": "' + BODY_TOKEN.encode() + b'"}',
     Expect.found_or_none("R6", A, codes={400, 401}, forbidden=frozenset({402, 403})), set()),
    # A text that carried no token (the malformed-body probes): 401 is judged by its own verdict.
    (b'{"rel_id": 3,', Expect.error("R4", {400}), {"R4"}),
])
def test_a_401_to_a_raw_text_contradicts_r1_only_where_its_token_could_be_read(raw: bytes, expect: Expect,
                                                                                failed: set[str]) -> None:
    assert judged(expect, _error(401), raw=raw) == failed
