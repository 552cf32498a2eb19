"""The expectation check: did the target answer the call as the contract says it must?

Its clause is the call's (``Expect.clause``): a valid request refused under M2 is an M2 failure,
an invalid one accepted under R4 an R4 failure. R1 owns one case: a 401 ("API token required")
answered to a request that carried a valid token contradicts the code's documented meaning.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..contract.calls import BODY_TOKEN, Auth
from ..contract.target import Target
from ..wire.client import Exchange
from .base import fail, is_r6
from .failures import Failure
from .registry import CheckList

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check

AUTH_CODES = frozenset({401, 402, 403})


def _token_contradiction(ex: Exchange) -> bool:
    """401 to a request that carried a valid token the server could read: a call's own fields, or a
    raw text with the token in its header or marked in its body, unless its verdict lets a reader
    refuse the whole text (and the token with it)."""
    call, exp = ex.call, ex.expect
    if ex.error_code != 401 or not call.auth.sends_valid_token:
        return False
    if call.raw_body is None:
        return True
    carried = call.auth is Auth.HEADER or BODY_TOKEN.encode() in call.raw_body
    allows_401 = exp.outcome == "any" or (401 in exp.codes if exp.codes is not None else
                                          exp.outcome != "success" and 401 not in exp.forbidden)
    return carried and not allows_401


@check("R1", applies=lambda ex: isinstance(ex.error_code, int))
def documented_codes_keep_their_meaning(ex: Exchange, target: Target) -> Iterator[Failure]:
    """401 means "API token required": never the answer to a request that carried a valid token."""
    if _token_contradiction(ex):
        yield fail(ex, "R1", "documented_codes_keep_their_meaning", "401 answered although a valid token was sent",
                   f"the token was sent ({ex.call.auth.value}); 401 means the token is missing",
                   received=ex.error_code, expected=ex.expect.reason or "another code")


def described_profiles(ex: Exchange) -> set[str]:
    """The A profiles a success describes: get_counter's ``data.profile_id``, relations/get's links'
    ``profile_id_a`` (none when it lists no link: then the answer names no profile)."""
    data = ex.data
    if isinstance(data, dict):
        got = data.get("profile_id")
        return {got.lower()} if isinstance(got, str) else set()
    links = data if isinstance(data, list) else []
    return {str(link["profile_id_a"]).lower() for link in links if isinstance(link, dict) and "profile_id_a" in link}


def _not_profile(ex: Exchange, name: str) -> Iterator[Failure]:
    """A value near the profile's identifier: an error other than 401-403, or another profile."""
    exp, code = ex.expect, ex.error_code
    if code != 0 and code in exp.forbidden:
        yield fail(ex, exp.clause, name, "Wrong error code", exp.reason or "a request that finds nothing",
                   received=code, expected=f"non-zero not {sorted(exp.forbidden)}, or another profile")
    elif code == 0 and exp.profile_id in described_profiles(ex):
        yield fail(ex, exp.clause, name, "A value near an identifier found its profile",
                   exp.reason or "the value is not the profile's identifier", received=exp.profile_id,
                   expected=f"not {exp.profile_id}: nothing found (R5), or another profile",
                   path="$.data.profile_id" if isinstance(ex.data, dict) else "$.data[].profile_id_a")


# R6 probes with an outcome (a text a server may read as the request, or refuse) are judged here too.
@check("*", applies=lambda ex: (not is_r6(ex) or ex.expect.outcome != "any") and isinstance(ex.error_code, int))
def answer_matches_expectation(ex: Exchange, target: Target) -> Iterator[Failure]:
    """The call succeeds or fails as its clause says, with an allowed code and the right profile."""
    exp, code = ex.expect, ex.error_code
    name = "answer_matches_expectation"
    if _token_contradiction(ex):
        return  # R1 reports it
    if exp.outcome == "not_profile":
        yield from _not_profile(ex, name)
        return
    if exp.outcome == "found_or_none" and code != 0:
        if code in exp.forbidden or (exp.codes and code not in exp.codes):
            allowed = sorted(exp.codes) if exp.codes else f"non-zero not {sorted(exp.forbidden)}"
            yield fail(ex, exp.clause, name, "Wrong error code", exp.reason or "a well-formed request finds the "
                       "profile or nothing", received=code, expected=f"0, or {allowed}")
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
