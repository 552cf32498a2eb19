"""``altcraft-contract init``: a target file written from what a live server answers.

It reads each named profile at both reads (get_counter and relations/get, by profile_id), learns
what the answers show (the API version from their shape, which HTTP status errors use, the B
profiles of the links as candidates for ``[writes]``), checks that each --email and --phone finds
one of the profiles, and writes what it verified with a comment per key (``init_file.py``). It
never writes the token, only the name of the variable that holds it. Every problem is one line
and an exit status of its own, as in the suite.
"""

from __future__ import annotations

import argparse
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from .. import endpoints
from ..contract import schemas
from ..contract.calls import Call, Expect
from ..contract.target import parse_target
from ..errors import IdentityUnknown, OutputExists, TargetFileInvalid, TargetUnreachable, TokenMissing
from ..run.preflight import SKIP_HINT, Read, answer_words, int_code, read, refused, shown, verdict
from ..run.session import transport_problem
from ..wire.client import Client, Exchange
from ..wire.redact import redact, safe
from .init_file import Learned, Seen, render

UNKNOWN_PROFILE = "000000000000000000000000"  # an ObjectId of 1970: no platform holds it
VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]{0,127}")
GET_COUNTER, GET = endpoints.GET_COUNTER.name, endpoints.GET.name


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", required=True, help="the server, e.g. https://staging.example.com")
    p.add_argument("--token-env", required=True, metavar="VAR", help="the environment variable holding the token")
    p.add_argument("--rel-id", required=True, type=int, help="a relation the profiles have")
    p.add_argument("--profile-id", required=True, action="append", metavar="ID", help="a Database A profile (repeatable)")
    p.add_argument("--email", action="append", default=[], help="an email of one of the profiles (repeatable)")
    p.add_argument("--phone", action="append", default=[], help="a phone of one of the profiles (repeatable)")
    p.add_argument("--output", required=True, metavar="FILE", help="the target file to write")
    p.add_argument("--api-version", choices=["v72", "v74"], help="the API version (default: learned from the answers)")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def _inputs(ns: argparse.Namespace) -> str:
    """Check the command line before any request; the token from its variable."""
    if not VARIABLE.fullmatch(ns.token_env):  # never echoed: it may be the token itself, pasted by mistake
        raise TargetFileInvalid("--token-env takes the name of an environment variable (A-Z, 0-9, _), not the token",
                                "e.g. --token-env ALTCRAFT_API_TOKEN, after export ALTCRAFT_API_TOKEN=...")
    if not str(ns.base_url).startswith(("http://", "https://")):
        raise TargetFileInvalid(f"--base-url {shown(ns.base_url, 80)!r} is not an http(s) URL", "write it as https://host[:port]")
    bad = [p for p in ns.profile_id if not schemas.profile_id_pattern().fullmatch(p)]
    if bad:
        raise TargetFileInvalid(f"--profile-id {shown(bad[0], 40)!r} is not 24 lowercase hex digits",
                                "copy the id exactly as the platform shows it")
    if len(set(ns.profile_id)) != len(ns.profile_id):
        raise TargetFileInvalid("a --profile-id is given twice", "name each profile once")
    out = Path(ns.output)
    if out.exists() and not ns.force:
        raise OutputExists(f"{ns.output} exists", "choose another --output, or add --force to overwrite it")
    if not out.resolve().parent.is_dir():
        raise OutputExists(f"the folder of {ns.output} does not exist", "create it, or choose another --output")
    token = os.environ.get(ns.token_env, "")
    if not token.strip():
        raise TokenMissing(f"the token variable {ns.token_env} is not set",
                           f"export {ns.token_env}=<your API token>, then run init again")
    return token


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _answered(base_url: str, r: Read, ex: Exchange, token_env: str) -> None:
    """Stop on what no target file can fix: no answer, a refused token, an answer that is no envelope."""
    problem = transport_problem(ex)
    if problem is not None:
        raise TargetUnreachable(f"the server {base_url} is unreachable ({problem})", "check --base-url and that it is up")
    if r.verdict == "refused":
        raise refused(token_env, r)
    if r.verdict == "unclear" and r.endpoint == GET_COUNTER:  # no envelope, a 5xx, a tariff limit
        raise TargetUnreachable(f"{base_url} answered relations/get_counter with {answer_words(r)}, which says nothing "
                                "about the profile", "check that --base-url is the API's root (https://host[:port], no "
                                "path) and that the platform answers reads now")


def _profiles(client: Client, ns: argparse.Namespace) -> tuple[list[Seen], str]:
    seen, lost, notes = [], [], []
    for pid in ns.profile_id:
        counter, ex = read(client, GET_COUNTER, ns.rel_id, pid)
        _answered(ns.base_url, counter, ex, ns.token_env)
        listed, lex = read(client, GET, ns.rel_id, pid)
        _answered(ns.base_url, listed, lex, ns.token_env)
        if counter.verdict != "found":
            lost.append(counter)
            continue
        data = ex.data if isinstance(ex.data, dict) else {}
        links = lex.data if listed.verdict == "found" and isinstance(lex.data, list) else []
        links = [link for link in links if isinstance(link, dict)]
        bs = [str(link["profile_id_b"]) for link in links
              if schemas.profile_id_pattern().fullmatch(str(link.get("profile_id_b", "")))]
        numeric = [str(name) for link in links if isinstance(link.get("props"), dict)
                   for name, v in link["props"].items() if isinstance(v, dict) and _is_number(v.get("value"))]
        seen.append(Seen(pid, isinstance(data.get("total"), int), list(dict.fromkeys(numeric)), bs))
        if listed.verdict != "found":
            notes.append(f"relations/get answered {answer_words(listed)}"
                         + (": not available on this deployment (the suite says so once)"
                            if listed.verdict == "not available" else " where get_counter finds the profile"))
    if lost and seen:
        ids = ", ".join(r.profile_id for r in lost[:3])
        raise IdentityUnknown(f"the server does not know --profile-id {ids} under --rel-id {ns.rel_id} "
                              f"({answer_words(lost[0])}), while it finds the others",
                              f"check the id in the platform's UI; if it is right, the platform's lookup is broken - {SKIP_HINT}")
    if lost:
        raise IdentityUnknown(f"the server finds none of the --profile-id under --rel-id {ns.rel_id} ({answer_words(lost[0])}): "
                              f"the relation or the ids are unknown to it",
                              "check them in the platform's UI; if they are right, the platform's lookup is broken")
    return seen, notes[0] if notes else ""


def _ask(client: Client, fields: dict[str, Any], base_url: str, token_env: str) -> tuple[Read, Exchange]:
    ex = client.send(Call.of(fields), Expect.anything("T1"))
    r = Read(GET_COUNTER, "init", str(fields.get("profile_id", "")), int(fields.get("rel_id", 0)), ex.status,
             int_code(ex), shown(ex.envelope.get("error_text")) if isinstance(ex.envelope, dict) else None,
             verdict(ex, GET_COUNTER))
    _answered(base_url, r, ex, token_env)
    return r, ex


def _identifiers(client: Client, ns: argparse.Namespace, seen: list[Seen]) -> None:
    """Each --email and --phone finds one of the profiles: recorded on it under the key it is."""
    by_id = {s.profile_id: s for s in seen}
    for mode, values in (("email", ns.email), ("phone", ns.phone)):
        for value in values:
            r, ex = _ask(client, {"rel_id": ns.rel_id, "matching": mode, mode: value}, ns.base_url, ns.token_env)
            what = f"--{mode} {shown(value, 80)!r}"
            if r.verdict != "found":
                raise IdentityUnknown(f"the server finds no profile by {what} under --rel-id {ns.rel_id} ({answer_words(r)})",
                                      f"check the {mode} in the platform's UI, or leave it out")
            pid = str(ex.data.get("profile_id")) if isinstance(ex.data, dict) else ""
            if pid not in by_id:
                raise TargetFileInvalid(f"{what} finds profile {shown(pid, 40)}, which no --profile-id names",
                                        f"add --profile-id {shown(pid, 40)}, or leave the {mode} out")
            key = mode
            if mode == "email":  # an email only a subscription carries: found by email, not by email_profile (M6)
                own, _ = _ask(client, {"rel_id": ns.rel_id, "matching": "email_profile", "email": value},
                              ns.base_url, ns.token_env)
                key = "email" if own.verdict == "found" else "subscription_email"
            if key in by_id[pid].identifiers:
                raise TargetFileInvalid(f"{what} and another value are both profile {pid}'s {key}", "give one of them")
            by_id[pid].identifiers[key] = value


def _status_mode(client: Client, ns: argparse.Namespace) -> tuple[str, str]:
    """Which HTTP status errors come with, from two reads that must fail: a profile that cannot exist
    (R5) and a read without rel_id (R4: 400). Only a 4xx code tells 200 from mirror (E4)."""
    probes = [({"rel_id": ns.rel_id, "matching": "profile_id", "profile_id": UNKNOWN_PROFILE}, "an unknown profile"),
              ({"matching": "profile_id", "profile_id": ns.profile_id[0]}, "a read without rel_id")]
    seen: list[tuple[str, int | None, int]] = []
    for fields, what in probes:
        r, _ = _ask(client, fields, ns.base_url, ns.token_env)
        if isinstance(r.error, int) and 400 <= r.error < 500:
            seen.append((what, r.status, r.error))
    if not seen:
        return "any", "no error with a 4xx code was seen, so either status is allowed"
    words = "; ".join(f"{what} got HTTP {status} with error {code}" for what, status, code in seen)
    if all(status == 200 for _, status, _ in seen):
        return "200", f"learned: {words}"
    if all(status == code for _, status, code in seen):
        return "mirror", f"learned: {words}"
    return "any", f"learned: {words} (both kinds)"


def learn(client: Client, ns: argparse.Namespace) -> Learned:
    """Everything the file says, read from the server."""
    seen, get_note = _profiles(client, ns)
    _identifiers(client, ns, seen)
    mode, mode_note = _status_mode(client, ns)
    with_total = sum(s.total for s in seen)
    shape = ("every get_counter answer carries data.total (v74's shape)" if with_total == len(seen) else
             "no get_counter answer carries data.total (v72's shape)" if not with_total else
             f"{with_total} of {len(seen)} get_counter answers carry data.total")
    learned_version = "v74" if with_total == len(seen) else "v72"
    version = ns.api_version or learned_version
    note = f"learned: {shape}" if ns.api_version is None else f"given (--api-version); the answers: {shape}"
    return Learned(seen, version, note, mode, mode_note, get_note)


def init(ns: argparse.Namespace) -> int:
    """Write the target file; one line on stdout saying what it holds and what to do next."""
    token = _inputs(ns)
    client = Client(ns.base_url, token, ns.token_env)
    try:
        learned = learn(client, ns)
    finally:
        client.close()
    text = redact(render(ns, learned))
    parse_target(tomllib.loads(text), ns.output)  # the suite's own loader reads it, or this is a bug here
    try:
        Path(ns.output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputExists(f"{ns.output} cannot be written ({exc.strerror})", "choose another --output") from None
    ids = sum(len(s.identifiers) for s in learned.profiles)
    bs = len({b for s in learned.profiles for b in s.b_profiles})
    print(safe(f"altcraft-contract: wrote {ns.output}: {len(learned.profiles)} profile(s), {ids} identifier(s), "
               f"api_version {learned.api_version}, error_http_status {learned.status_mode}, {bs} B profile(s) listed "
               f"for [writes] (commented out); next: altcraft-contract check --target {ns.output}", one_line=True))
    return 0
