"""The input model beyond field values: token classes, XML syntax a parser must read the same, and
every identifier the target file names sent in every mode that takes it. Verdicts are computed
from the contract's words (R2, R3, X1, M1, M2, M5, M6), as in ``inputs.py``.

Decisions the contract leaves open, made here once:
- A whitespace-only token, and ``Authorization: Bearer`` with nothing after it, are not among R2's
  words ("absent, null or empty, and no header"): they are tokens that are not valid, R3's 401 or
  403 (a server that trims them to nothing answers 401, which R3 allows too).
- ``Bearer`` with nothing after it *and* a valid body token: the header and the body disagree, which
  the contract leaves free: any envelope, under T3 (the token's place).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from . import xsd
from .calls import Auth, Call, Expect
from .target import Profile, Target

TokenKind = Literal["absent", "not valid", "disagreeing"]


@dataclass(frozen=True)
class TokenClass:
    """One way of sending (or not sending) the token; the client derives wrong tokens at send time."""

    name: str
    auth: Auth
    kind: TokenKind
    not_in_xml: str = ""  # why the class is not sent again in an XML body ("": it is)


_NO_BODY_TOKEN = "no token in the body, so the body's format does not bear on it"
TOKEN_CLASSES: tuple[TokenClass, ...] = (
    TokenClass("absent", Auth.NONE, "absent", _NO_BODY_TOKEN),
    TokenClass("null", Auth.BODY_NULL, "absent"),
    TokenClass("empty", Auth.BODY_EMPTY, "absent", "in XML the same empty element as null"),
    TokenClass("whitespace", Auth.BODY_BLANK, "not valid"),
    TokenClass("wrong, with the real token's length and alphabet", Auth.BODY_SAME_SHAPE, "not valid"),
    TokenClass("the real token with its last character changed", Auth.BODY_LAST_CHANGED, "not valid"),
    TokenClass("a prefix of the real token", Auth.BODY_PREFIX, "not valid"),
    TokenClass("the real token plus a suffix", Auth.BODY_SUFFIXED, "not valid"),
    TokenClass("header Bearer with nothing after it", Auth.HEADER_EMPTY, "not valid", _NO_BODY_TOKEN),
    TokenClass("header Bearer with nothing after it, token in body", Auth.HEADER_EMPTY_BODY, "disagreeing"),
)


def token_verdict(tc: TokenClass) -> Expect:
    """R2 for what its words name, R3 for any other token that is not valid, R6 where it is free."""
    if tc.kind == "absent":
        return Expect.error("R2", {401}, reason=f"no token ({tc.name})")
    if tc.kind == "not valid":
        return Expect.error("R3", {401, 403}, reason=f"a token that is not valid ({tc.name})")
    # T3's: where the token travels; the E clauses hold for its answer as for any other.
    return Expect.anything("T3", f"{tc.name}: the header and the body disagree, left open by the contract")


XML_SYNTAX = xsd.XML_SYNTAXES


def xml_syntax_call(target: Target, name: str) -> tuple[Call, Expect]:
    p = target.profiles[0]
    fields = {"rel_id": target.rel_id, "matching": "profile_id", "profile_id": p.profile_id}
    return Call.of(fields, body_format="xml", xml_syntax=name), Expect.success("X1", p.profile_id)


@dataclass(frozen=True)
class IdentifierRow:
    """One identifier the target file names, sent in one mode (or with matching omitted)."""

    name: str
    fields: dict[str, Any]
    expect: Expect


def _email_rows(target: Target, p: Profile, email: str, own: bool) -> list[IdentifierRow]:
    which = "own email" if own else "subscription email"
    rel = {"rel_id": target.rel_id}
    pid = p.profile_id
    # M1: omitted means email; M6: email searches subscriptions too, email_profile the own email only.
    rows = [IdentifierRow(f"{which}, matching=email", {**rel, "matching": "email", "email": email},
                          Expect.success("M2" if own else "M6", pid)),
            IdentifierRow(f"{which}, matching omitted", {**rel, "email": email}, Expect.success("M1", pid))]
    if own:
        rows.append(IdentifierRow(f"{which}, matching=email_profile",
                                  {**rel, "matching": "email_profile", "email": email}, Expect.success("M2", pid)))
    else:
        rows.append(IdentifierRow(f"{which}, matching=email_profile",
                                  {**rel, "matching": "email_profile", "email": email},
                                  Expect.error("M6", None, forbidden={401, 402, 403},
                                               reason="email_profile ignores subscription emails")))
    return rows


def identifier_rows(target: Target, p: Profile) -> list[IdentifierRow]:
    """Every identifier of ``p`` in every mode that takes it, matching explicit and, where M1 and M5
    allow, omitted."""
    rel = {"rel_id": target.rel_id}
    rows: list[IdentifierRow] = []
    if p.email:
        rows += _email_rows(target, p, p.email, own=True)
    if p.subscription_email:
        rows += _email_rows(target, p, p.subscription_email, own=False)
    for mode in ("phone", "custom"):
        ident = p.identifiers(mode)
        if ident:
            rows.append(IdentifierRow(f"{mode}, matching={mode}", {**rel, "matching": mode, **ident},
                                      Expect.success("M2", p.profile_id)))
    rows.append(IdentifierRow("profile_id, matching=profile_id",
                              {**rel, "matching": "profile_id", "profile_id": p.profile_id},
                              Expect.success("M2", p.profile_id)))
    rows.append(IdentifierRow("profile_id, matching omitted", {**rel, "profile_id": p.profile_id},
                              Expect.success("M5", p.profile_id)))
    return rows
