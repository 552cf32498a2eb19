"""E: every answer is an envelope; success and failure envelopes have their shapes and statuses."""

from __future__ import annotations

from collections.abc import Iterator

from .. import endpoints
from ..contract import schemas
from ..contract.target import Target
from ..wire.client import Exchange
from .base import fail, r6_owns
from .failures import Failure
from .registry import CheckList

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check

SUCCESS_TEXT = "Successful operation"


def _envelope_problem(ex: Exchange) -> str | None:
    if ex.envelope is None:
        return ex.parse_error or "the body did not parse"
    for v in schemas.violations("envelope", ex.envelope, "E1"):
        return f"{v.path}: {v.message}"
    return None


@check("E1", stage=1, applies=lambda ex: not r6_owns(ex))
def answer_is_an_envelope(ex: Exchange, target: Target) -> Iterator[Failure]:
    """The body is an object with an integer error and a string error_text."""
    problem = _envelope_problem(ex)
    if problem:
        yield fail(ex, "E1", "answer_is_an_envelope", "The answer is not an envelope", problem,
                   received=(ex.text or "")[:200], expected="{error: integer, error_text: string, ...}")


# HTTP's own answers without a body: HEAD's never has one, OPTIONS' asks about the resource.
BODILESS_METHODS = ("HEAD", "OPTIONS")


@check("R6", stage=1, applies=r6_owns)
def malformed_request_gets_an_envelope(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A malformed request is answered with an envelope and an allowed status, never a 5xx (a HEAD
    or OPTIONS answer without a body: only never a 5xx)."""
    bodiless = ex.call.method in BODILESS_METHODS and not ex.body.strip()
    problem = None if bodiless else _envelope_problem(ex)
    if not problem and not bodiless and ex.status not in allowed_statuses(ex.error_code, target.error_http_status):
        problem = f"HTTP {ex.status} is not allowed for error {ex.error_code} (E4)"
    if problem or (ex.status or 0) >= 500:
        yield fail(ex, "R6", "malformed_request_gets_an_envelope", "A malformed request made the server fail",
                   problem or f"HTTP {ex.status}", received=f"HTTP {ex.status}: {(ex.text or '')[:200]}",
                   expected="an error envelope with HTTP 200 or its 4xx code")


@check("E2", applies=lambda ex: ex.error_code == 0)
def success_has_data_object(ex: Exchange, target: Target) -> Iterator[Failure]:
    """On success, data is an object."""
    if not isinstance(ex.data, dict):
        yield fail(ex, "E2", "success_has_data_object", "A success carries no data object",
                   "error is 0 but data is not an object", received=ex.data, expected="an object", path="$.data")


# Not on the writes: their documented success text is "" (W1 accepts any string).
@check("E2.text", applies=lambda ex: ex.error_code == 0 and endpoints.by_path(ex.call.path).kind == "read")
def success_text_is_documented(ex: Exchange, target: Target) -> Iterator[Failure]:
    """On success, error_text is exactly "Successful operation"."""
    if ex.envelope.get("error_text") != SUCCESS_TEXT:
        yield fail(ex, "E2.text", "success_text_is_documented", "Unexpected success text",
                   "the documented success text differs", received=ex.envelope.get("error_text"),
                   expected=SUCCESS_TEXT, path="$.error_text")


@check("E3", applies=lambda ex: ex.error_code not in (0, None))
def failure_envelope_shape(ex: Exchange, target: Target) -> Iterator[Failure]:
    """On failure: non-zero error, non-empty error_text, and data absent, null or empty."""
    for v in schemas.violations("error", ex.envelope, "E3"):
        yield fail(ex, "E3", "failure_envelope_shape", "Malformed failure envelope", v.message,
                   received=v.value, path=v.path)


def allowed_statuses(code: int, mode: str) -> set[int]:
    """E4: the HTTP statuses a correct target may use for an envelope with this error code."""
    if code == 0:
        return {200}
    mirrored = {code} if 400 <= code < 500 else {200}
    return {"200": {200}, "mirror": mirrored, "any": {200} | mirrored}[mode]


@check("E4", applies=lambda ex: not r6_owns(ex) and isinstance(ex.error_code, int))
def http_status_allowed(ex: Exchange, target: Target) -> Iterator[Failure]:
    """HTTP 200 on success; on failure 200 or the error code, as the target's setting says."""
    allowed = allowed_statuses(ex.error_code, target.error_http_status)
    if ex.status not in allowed:
        yield fail(ex, "E4", "http_status_allowed", "HTTP status not allowed for this envelope",
                   f"error {ex.error_code} with error_http_status = {target.error_http_status!r}",
                   received=ex.status, expected=sorted(allowed))
