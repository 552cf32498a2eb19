"""The text of the target file ``init`` writes: every key it verified with a comment saying how,
and commented placeholders for what only the user knows (identifiers not given, a profile kept for
the writes). Values are TOML-escaped, comments made of server text are escaped to one inert line;
the token is never in it (only ``token_env``, the name of its variable)."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import dataclass, field
from typing import Any

import tomli_w

from ..wire.redact import safe

COLUMN = 40  # where comments start
B_LISTED = 6  # B profiles offered as candidates for [writes]


@dataclass
class Seen:
    """One profile as both reads showed it, and the identifiers verified to find it."""

    profile_id: str
    total: bool  # get_counter's data carried data.total (v74's shape)
    properties: list[str]  # numeric properties of its links (relations/get)
    b_profiles: list[str]  # the B profiles of its links
    identifiers: dict[str, str] = field(default_factory=dict)  # target-file key -> value


@dataclass
class Learned:
    """What ``init`` read from the server, for the file."""

    profiles: list[Seen]
    api_version: str
    api_note: str
    status_mode: str
    status_note: str
    get_note: str = ""  # relations/get not available, or what it answered instead


def _value(value: Any) -> str:
    """``value`` as TOML on one line (JSON's string escapes are TOML's too; TOML also refuses a raw DEL)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _line(key: str, value: Any, note: str = "", *, commented: bool = False) -> str:
    text = f"{'# ' if commented else ''}{key} = {_value(value)}"
    if note:
        text = f"{text:<{COLUMN - 1}} # {safe(note, one_line=True)}"
    return text


def _note(text: str) -> str:
    return safe(f"# {text}", one_line=True)


def _header(ns: argparse.Namespace, learned: Learned) -> list[str]:
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return [
        _note(f"A target file written by `altcraft-contract init` on {when}: every key below was verified"),
        "# against the server (the comment says how); lines starting with '# key =' are placeholders for what",
        "# only you know. The token is not here: token_env names the environment variable that holds it.",
        _note(f"Next: altcraft-contract check --target {ns.output}, then altcraft-contract run --target {ns.output}"),
        "",
        "[target]",
        _line("base_url", ns.base_url.rstrip("/"), "answered both reads"),
        _line("token_env", ns.token_env, "the variable that holds the token (the server accepted it)"),
        _line("api_version", learned.api_version, learned.api_note),
        _line("error_http_status", learned.status_mode, learned.status_note),
        _line("max_rps", 5, "optional: request rate limit for the whole run", commented=True),
        _line("timeout", 10, "optional: seconds per request (the whole answer)", commented=True),
        _line("request_budget", 2000, "optional: stop sending after this many requests (exit 11)", commented=True),
        "",
        "[data]",
        _line("rel_id", ns.rel_id, "verified: get_counter finds every profile below under it"),
        _line("unknown_rel_id", 999999, "optional: a relation that does not exist (default 999999999)", commented=True),
        _line("unknown_resource_id", 4242, "optional: a resource holding none of these profiles' subscriptions",
              commented=True),
    ]


_FOUND_BY = {
    "email": "verified: matching=email and matching=email_profile find this profile",
    "subscription_email": "verified: matching=email finds this profile, email_profile does not (M6)",
    "phone": "verified: matching=phone finds this profile",
}
_PLACEHOLDERS = (
    ("email", "<its own email>", "the profile's own email (or run init with --email)"),
    ("phone", "<its phone>", "the profile's phone (or run init with --phone)"),
    ("field_name", "<a custom field>", "a custom field of the profile (matching=custom) ..."),
    ("field_value", "<its value>", "... and its value (an integer or a string)"),
    ("resource_id", 0, "a resource holding a subscription of this profile (M3)"),
    ("resource_identifiers", ["email", "phone"], "optional: what that subscription carries"),
    ("subscription_email", "<an email only a subscription carries>", "found by email, not by email_profile (M6)"),
)


def _profile(s: Seen, get_note: str) -> list[str]:
    links = get_note or f"relations/get lists {len(s.b_profiles)} link(s)"
    lines = ["", "[[data.profiles]]", _line("profile_id", s.profile_id, f"verified: get_counter finds it; {links}")]
    lines += [_line(key, value, _FOUND_BY[key]) for key, value in s.identifiers.items()]
    for key, value, note in _PLACEHOLDERS:
        if key in s.identifiers:
            continue
        lines.append(_line(key, value, note, commented=True))
    return lines


def _writes(ns: argparse.Namespace, learned: Learned) -> list[str]:
    ours = {s.profile_id for s in learned.profiles}
    bs = list(dict.fromkeys(b for s in learned.profiles for b in s.b_profiles if b not in ours))
    props = list(dict.fromkeys(p for s in learned.profiles for p in s.properties))
    lines = ["", "# Writes (opt-in, with --writes; docs/CONTRACT.md clauses W and S): the suite writes only under this",
             "# relation, to profile_a and the profiles_b, only these numeric properties, and restores every link it",
             "# touched. profile_a must be an A profile kept for writing, not one of the [[data.profiles]] above.",
             "# [writes]",
             _line("rel_id", ns.rel_id, "a relation the suite may write under", commented=True),
             _line("profile_a", "<an A profile kept for writing>", "not one of the profiles above", commented=True)]
    if bs:
        lines.append(_line("profiles_b", bs[:B_LISTED], "candidates: B profiles of the links above (best: one "
                           "linked to profile_a, one not)", commented=True))
    else:
        lines.append(_line("profiles_b", ["<a B profile>"], "no link was seen: name Database B profiles",
                           commented=True))
    lines.append(_line("properties", props[:6] or ["<a numeric property>"],
                       "numeric properties seen in the links" if props else "name numeric properties of the relation",
                       commented=True))
    lines += ["", "# Paths the vendor's pages do not give (attach is tested only when named).", "# [endpoints]",
              _line("attach", "/api/v1.1/relations/attach", "", commented=True)]
    return lines


def render(ns: argparse.Namespace, learned: Learned) -> str:
    """The whole file."""
    lines = _header(ns, learned)
    for s in learned.profiles:
        lines += _profile(s, learned.get_note)
    lines += _writes(ns, learned)
    return "\n".join(lines) + "\n"
