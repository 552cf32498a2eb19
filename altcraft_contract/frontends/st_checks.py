"""Schemathesis alongside the suite: custom checks for this API's conventions and an XML deserializer.

Schemathesis' own negative check expects a 4xx status, but this API may answer an incorrect
request inside an HTTP 200 envelope (E4): here "rejected" means ``error != 0``, and a case only
counts as negative when our request schema says its body is incorrect (R4), so fields the
contract leaves free never make a false positive.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
import schemathesis
import urllib3
import xxhash
from schemathesis import Config, GenerationMode

from .. import endpoints
from ..checks.envelope import allowed_statuses
from ..contract import schemas
from ..run.engine import engine_released
from ..wire import xmlcodec
from ..wire.gate import TRUNCATED_HEADER, classify
from ..wire.problems import NotRun, TransportProblem
from ..wire.redact import cut, safe

SEED = int(os.environ.get("ALTCRAFT_SCHEMATHESIS_SEED", "0"))
# E4's setting; the pytest module sets it from the target, `st run` users through the environment.
SETTINGS = {"error_http_status": os.environ.get("ALTCRAFT_ERROR_HTTP_STATUS", "any")}


@schemathesis.deserializer("application/xml")
def _xml(ctx: Any, response: Any) -> Any:
    return xmlcodec.decode_response(response.content, _path(response))


def _path(response: Any) -> str:
    """The path the answered request went to: the XML decoder types by that endpoint's XSD."""
    url = getattr(getattr(response, "request", None), "url", None)
    return urlsplit(str(url)).path if url else endpoints.GET_COUNTER.path


def _maybe_envelope(response: Any) -> Any:
    """The decoded envelope, or None when the body is not one (answer_is_an_envelope reports that)."""
    try:
        env = _envelope(response)
    except (ValueError, xmlcodec.XMLDecodeError):
        return None
    return env if isinstance(env, dict) else None


def _envelope(response: Any) -> Any:
    ctype = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
    ctype = ctype[0] if isinstance(ctype, list) and ctype else ctype
    if "xml" in str(ctype):
        return xmlcodec.decode_response(response.content, _path(response))
    return json.loads(response.content)


def answer_is_an_envelope(ctx: Any, response: Any, case: Any) -> None:
    """E1/E4: every answer is an envelope with an integer error and string error_text; no 5xx."""
    cut_at = next((v for k, v in response.headers.items() if k.lower() == TRUNCATED_HEADER), None)
    assert cut_at is None, f"the answer is longer than the suite reads: it stopped after {cut_at} bytes (E1)"
    assert response.status_code < 500, f"HTTP {response.status_code}: the server failed (E4)"
    try:
        env = _envelope(response)
    except (ValueError, xmlcodec.XMLDecodeError) as exc:
        raise AssertionError(f"the answer is not an envelope (E1): {exc}") from None
    problems = [v.message for v in schemas.violations("envelope", env, "E1")]
    assert not problems, f"not an envelope (E1): {problems}"
    mode = SETTINGS["error_http_status"]
    assert response.status_code in allowed_statuses(env["error"], mode), \
        f"HTTP {response.status_code} is not allowed for error {env['error']} (E4)"


def incorrect_request_is_rejected(ctx: Any, response: Any, case: Any) -> None:
    """R4: a body our request schema calls incorrect is answered with error != 0, whatever the status."""
    body = case.body
    incorrect = not isinstance(body, dict) or any(True for _ in schemas.violations("request", body, "R4"))
    if case.meta is not None and case.meta.generation.mode is GenerationMode.NEGATIVE and incorrect:
        env = _maybe_envelope(response)
        if env is not None:
            assert env.get("error") not in (0, None), f"an incorrect request was accepted (R4): error {env.get('error')}"


def profile_xxh_is_xxhash64(ctx: Any, response: Any, case: Any) -> None:
    """D2: on success, profile_xxh is xxHash64 (seed 0) of profile_id."""
    env = _maybe_envelope(response) or {}
    data = env.get("data") if env.get("error") == 0 else None
    if isinstance(data, dict) and isinstance(data.get("profile_id"), str):
        want = xxhash.xxh64_hexdigest(data["profile_id"].encode())
        assert data.get("profile_xxh") == want, f"profile_xxh {data.get('profile_xxh')!r} != {want!r} (D2)"


CHECKS = [answer_is_an_envelope, incorrect_request_is_rejected, profile_xxh_is_xxhash64]
for _check in CHECKS:
    schemathesis.check(_check)

# Schemathesis' status expectations assume failures carry 4xx; this API's ride in HTTP 200.
EXCLUDED = ["negative_data_rejection", "positive_data_acceptance", "missing_required_header",
            "unsupported_method", "ignored_auth"]


def send_case(case: Any, run: Any, key: str) -> None:
    """Send ``case`` through the run's gate and validate it with our checks. A transport problem or
    a spent budget is kept in ``run.external_problems[key]`` (and ends the item's later examples at
    once, so Hypothesis neither shrinks nor retries it) instead of being raised."""
    if key in run.external_problems:
        return
    session = run.session
    target = session.target
    SETTINGS["error_http_status"] = target.error_http_status
    gate = session.client.gate
    token = session.client.token_for_tools()
    if isinstance(case.body, dict):
        case.body["token"] = token  # a valid token, so the answers say more than "401"
    where: dict[str, Any] = {"app": run.app} if run.app is not None else {
        "base_url": target.base_url, "session": run.requests_session(), "timeout": gate.timeout}
    try:
        with engine_released():  # the scenarios' Hypothesis engines may run while this one waits
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, additional_checks=CHECKS,
                                   excluded_checks=[excluded(n) for n in EXCLUDED], **where)
    except NotRun as exc:
        run.external_problems[key] = ("not run", str(exc))
    except (requests.RequestException, TransportProblem, urllib3.exceptions.HTTPError) as exc:
        problem = classify(exc)
        session.note_transport(problem, getattr(exc, "altcraft_seq", 0))
        run.external_problems[key] = ("transport", str(problem))


def load_schema() -> Any:
    """The OpenAPI document in schemas/, with the seed set through schemathesis' own config and as
    many examples as the Hypothesis profile in force (quick, default, thorough).

    The ``quick`` profile leaves out schemathesis' coverage phase: it enumerates boundary cases at
    collection time (about 1.1 s here, a third of a quick run) that the suite's own R4 scenarios
    already send one class at a time; ``default`` and ``thorough`` keep it.
    """
    from hypothesis import settings

    examples = settings().max_examples
    coverage = "false" if settings.get_current_profile_name() == "quick" else "true"
    cfg = Config.from_str(f'seed = {SEED}\n[generation]\nmode = "all"\nmax-examples = {examples}\n'
                          f'[phases.coverage]\nenabled = {coverage}\n')
    # The write operations (tag "writes") change the target's links: a run writes only when asked (S3).
    return schemathesis.openapi.from_path(str(schemas.SCHEMA_DIR / "openapi.json"), config=cfg).exclude(tag="writes")


def excluded(name: str) -> Any:
    """A built-in schemathesis check by name (to exclude it)."""
    from schemathesis.checks import load_all_checks
    from schemathesis.specs.openapi import checks as openapi_checks

    load_all_checks()
    return getattr(openapi_checks, name)


# --- a schemathesis failure as a list of the checks that failed, each with its clause --------------

@dataclass(frozen=True)
class Found:
    """One check that failed in a schemathesis run: its clause, its name and its message."""

    clause: str
    check: str
    message: str


# The clauses each of our checks names in its message ("... (D2)"); the first one it names is its
# own (a value quoted from the answer comes later in the message and cannot re-file it).
CLAUSES_OF = {"answer_is_an_envelope": ("E1", "E4"), "incorrect_request_is_rejected": ("R4",),
              "profile_xxh_is_xxhash64": ("D2",)}
_CLAUSE = re.compile(r"\(([A-Z][0-9](?:\.text)?)\)")
_CHECK_NAME = re.compile(r"`([A-Za-z_][A-Za-z0-9_]*)`")
_CURL = re.compile(r"^\s*(curl .+)$", re.MULTILINE)
_ANSWER = re.compile(r"^\[(\d{3})\]([^\n]*):\s*\n\s*`?([^\n]*?)`?\s*$", re.MULTILINE)
SHOWN_CHECKS, SHOWN_EXAMPLES = 10, 3


def _leaves(exc: BaseException) -> list[tuple[BaseException, BaseException | None]]:
    """Every failure inside ``exc`` (exception groups nest when several examples fail), each with
    the group that holds it (whose message carries the answer and the curl line)."""
    out: list[tuple[BaseException, BaseException | None]] = []

    def walk(e: BaseException, group: BaseException | None) -> None:
        if isinstance(e, BaseExceptionGroup):
            for sub in e.exceptions:
                walk(sub, e)
        else:
            out.append((e, group))
    walk(exc, None)
    return out


def found(exc: BaseException, default_clause: str) -> list[Found]:
    """The checks that failed in ``exc``, once each, bounded and inert. Ours by the clause their
    message names; schemathesis' own (which name none) by the clause of ours that failed beside
    them, else by the item's (``default_clause``): the clauses a failure is filed under stay those
    the suite has always given it."""
    seen: dict[tuple[str, str], tuple[str | None, str, str]] = {}
    for leaf, _ in _leaves(exc):
        if not isinstance(leaf, AssertionError):  # not a check that failed: see ``unjudged``
            continue
        title = str(getattr(leaf, "title", "") or type(leaf).__name__)
        message = str(getattr(leaf, "message", "") if hasattr(leaf, "title") else leaf)
        named = _CHECK_NAME.search(title)
        builtin = getattr(type(leaf), "checks", ())
        check = named.group(1) if named else (builtin[0] if builtin else title)
        allowed = CLAUSES_OF.get(check, ())
        clause = next((c for c in _CLAUSE.findall(message) if c in allowed), None)
        text = safe(cut(message.strip() or title, 300), one_line=True)
        seen.setdefault((check, text), (clause, check, text))
    ours = next((c for c, _, _ in seen.values() if c is not None), default_clause)
    return [Found(clause or ours, check, text) for clause, check, text in seen.values()]


def unjudged(exc: BaseException) -> list[str]:
    """What stopped the tool itself rather than a check (a Hypothesis health check, an error in the
    schema or in the suite): every check failure, ours or schemathesis', is an AssertionError, so
    anything else says nothing about the target. Once each, bounded and inert."""
    texts = (f"{type(leaf).__name__}: {cut(str(leaf).strip(), 300)}" for leaf, _ in _leaves(exc)
             if not isinstance(leaf, AssertionError))
    return [safe(t, one_line=True) for t in dict.fromkeys(texts)]


def describe(exc: BaseException, problems: list[Found], where: str, token_env: str) -> str:
    """A schemathesis failure as people read it: the checks that failed (each with its clause), then
    an answer and a curl line per failing example; bounded, and every line inert."""
    lines = [f"schemathesis: {len(problems)} check(s) failed on {safe(where, one_line=True)}"]
    lines += [f"- [{p.clause}] {p.check}: {p.message}" for p in problems[:SHOWN_CHECKS]]
    if len(problems) > SHOWN_CHECKS:
        lines.append(f"- ... and {len(problems) - SHOWN_CHECKS} more check(s) (see the report)")
    groups = list(dict.fromkeys(g for _, g in _leaves(exc) if g is not None))
    for group in groups[:SHOWN_EXAMPLES]:
        text = str(getattr(group, "message", ""))
        answer, curl = _ANSWER.search(text), _CURL.search(text)
        if answer:
            lines.append(f"  Answer: HTTP {answer.group(1)}{safe(answer.group(2), one_line=True)}: "
                         f"{safe(cut(answer.group(3), 500), one_line=True)}")
        if curl:
            lines.append(f"  Reproduce with: {safe(cut(curl.group(1), 2000), one_line=True)}")
    if len(groups) > SHOWN_EXAMPLES:
        lines.append(f"  ... and {len(groups) - SHOWN_EXAMPLES} more failing example(s)")
    lines.append(f"schemathesis masks the token as [Filtered]: put \"${safe(token_env, one_line=True)}\" in its place "
                 "to replay the curl line")
    return "\n".join(lines)
