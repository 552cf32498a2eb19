"""The expectation check: did the target answer the call as the contract says it must?

Its clause is the call's (``Expect.clause``): a valid request refused under M2 is an M2 failure,
an invalid one accepted under R4 an R4 failure. R1 owns one case: a 401 ("API token required")
answered to a request that carried a valid token contradicts the code's documented meaning.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..contract.target import Target
from ..wire.client import Exchange
from .base import fail, is_r6
from .failures import Failure
from .registry import CheckList

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check

AUTH_CODES = frozenset({401, 402, 403})


def _token_contradiction(ex: Exchange) -> bool:
    return ex.error_code == 401 and ex.call.auth.sends_valid_token and ex.call.raw_body is None


@check("R1", applies=lambda ex: isinstance(ex.error_code, int))
def documented_codes_keep_their_meaning(ex: Exchange, target: Target) -> Iterator[Failure]:
    """401 means "API token required": never the answer to a request that carried a valid token."""
    if _token_contradiction(ex):
        yield fail(ex, "R1", "documented_codes_keep_their_meaning", "401 answered although a valid token was sent",
                   f"the token was sent ({ex.call.auth.value}); 401 means the token is missing",
                   received=ex.error_code, expected=ex.expect.reason or "another code")


@check("*", applies=lambda ex: not is_r6(ex) and isinstance(ex.error_code, int))
def answer_matches_expectation(ex: Exchange, target: Target) -> Iterator[Failure]:
    """The call succeeds or fails as its clause says, with an allowed code and the right profile."""
    exp, code = ex.expect, ex.error_code
    name = "answer_matches_expectation"
    if _token_contradiction(ex):
        return  # R1 reports it
    if exp.outcome == "found_or_none" and code != 0:
        if code in exp.forbidden:
            yield fail(ex, exp.clause, name, "Wrong error code", exp.reason or "a well-formed request finds the "
                       "profile or nothing", received=code, expected=f"0, or non-zero not {sorted(exp.forbidden)}")
        return
    if exp.outcome in ("success", "found_or_none"):
        if code != 0:
            yield fail(ex, exp.clause, name, "A valid request was refused",
                       f"error {code}: {ex.envelope.get('error_text')!r}", received=code, expected=0)
            return
        got = ex.data.get("profile_id") if isinstance(ex.data, dict) else None
        if exp.profile_id and isinstance(got, str) and got.lower() != exp.profile_id:
            yield fail(ex, exp.clause, name, "The answer describes another profile",
                       "data.profile_id is not the profile the identifiers name", received=got,
                       expected=exp.profile_id, path="$.data.profile_id")
    elif exp.outcome == "error":
        allowed = sorted(exp.codes) if exp.codes else "a non-zero code"
        if code == 0:
            yield fail(ex, exp.clause, name, "A request that must fail succeeded", exp.reason or "expected an error",
                       received=0, expected=allowed)
        elif (exp.codes and code not in exp.codes) or code in exp.forbidden:
            yield fail(ex, exp.clause, name, "Wrong error code", exp.reason or "the code is not allowed here",
                       received=code, expected=allowed if exp.codes else f"non-zero, not {sorted(exp.forbidden)}")
