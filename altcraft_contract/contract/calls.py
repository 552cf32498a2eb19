"""A logical request (Call) and what the suite expects of its answer (Expect).

A Call never holds the token: it says where the token goes (``auth``) and the client puts it
there at send time, so a Call can be printed, stored and shrunk without leaking the secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Literal

Format = Literal["json", "xml"]
# In a ``raw_body``: where the client writes the real token (escaped for the body's format), so a
# hand-written text can carry a body token while the Call itself never holds it.
BODY_TOKEN = "\ue000TOKEN\ue000"
AUTH_CODES = frozenset({401, 402, 403})  # R1 gives them meanings no "nothing found" may borrow


class Auth(Enum):
    BODY = "token in body"
    HEADER = "token in Authorization header"
    NONE = "no token"
    BODY_EMPTY = "empty token in body"
    BODY_NULL = "null token in body"
    BODY_INVALID = "invalid token in body"
    HEADER_INVALID = "invalid token in header"
    # Tokens the client derives from the real one at send time (inputs_wire.py's token classes).
    BODY_BLANK = "whitespace-only token in body"
    BODY_SAME_SHAPE = "wrong token with the real token's length and alphabet in body"
    BODY_LAST_CHANGED = "the real token with its last character changed, in body"
    BODY_PREFIX = "a prefix of the real token in body"
    BODY_SUFFIXED = "the real token plus a suffix in body"
    HEADER_EMPTY = "Authorization: Bearer with nothing after it, no body token"
    HEADER_EMPTY_BODY = "Authorization: Bearer with nothing after it, token in body"

    @property
    def sends_valid_token(self) -> bool:
        return self in (Auth.BODY, Auth.HEADER)

    @property
    def in_body(self) -> bool:
        """A token field (of some kind) goes into the body."""
        return self not in (Auth.NONE, Auth.HEADER, Auth.HEADER_INVALID, Auth.HEADER_EMPTY)


@dataclass(frozen=True)
class Call:
    """One request as the suite means it; ``fields`` keep their order (key order is varied)."""

    fields: tuple[tuple[str, Any], ...]
    auth: Auth = Auth.BODY
    body_format: Format = "json"
    answer_format: Format | None = None  # None: no format parameter, the default (json) applies
    format_in: Literal["query", "body"] = "query"
    content_type: str | None = None  # None: the plain media type of body_format; "": no Content-Type
    token_pos: int = 0  # where the body token goes among the fields
    raw_body: bytes | None = None  # a body sent as is (R4/R6 probes, texts); BODY_TOKEN marks the token's place
    xml_syntax: str | None = None  # an XML body written with this syntax (xsd.XML_SYNTAXES)
    method: str = "POST"
    path: str = "/api/v1.1/relations/get_counter"

    @classmethod
    def of(cls, fields: Mapping[str, Any], **kw: Any) -> Call:
        return cls(fields=tuple(fields.items()), **kw)

    def body_fields(self) -> dict[str, Any]:
        return dict(self.fields)

    def with_fields(self, **changes: Any) -> Call:
        d = self.body_fields()
        d.update(changes)
        return replace(self, fields=tuple(d.items()))

    def without(self, *names: str) -> Call:
        return replace(self, fields=tuple((k, v) for k, v in self.fields if k not in names))

    @property
    def answer(self) -> Format:
        return self.answer_format or "json"

    def variant(self, **kw: Any) -> Call:
        return replace(self, **kw)


Outcome = Literal["success", "error", "any", "found_or_none", "not_profile"]


@dataclass(frozen=True)
class Expect:
    """What a correct target answers: the clause the call exercises and the allowed outcomes."""

    clause: str
    outcome: Outcome
    codes: frozenset[int] | None = None  # for "error", "found_or_none": the allowed codes; None: any non-zero
    forbidden: frozenset[int] = field(default_factory=frozenset)
    profile_id: str | None = None  # "success", "found_or_none": the profile to describe; "not_profile": never
    reason: str = ""  # why the call is expected to fail, for the failure message

    @classmethod
    def success(cls, clause: str, profile_id: str | None) -> Expect:
        return cls(clause, "success", profile_id=profile_id)

    @classmethod
    def error(cls, clause: str, codes: set[int] | None = None, *, forbidden: set[int] | None = None,
              reason: str = "") -> Expect:
        return cls(clause, "error", frozenset(codes) if codes else None, frozenset(forbidden or ()),
                   reason=reason)

    @classmethod
    def found_or_none(cls, clause: str, profile_id: str, reason: str = "", *, codes: set[int] | None = None,
                      forbidden: frozenset[int] = AUTH_CODES) -> Expect:
        """Either this profile or "nothing found" (R5's codes: non-zero, not 401-403; 400 is allowed
        there too): where the target's data leaves open whether the request finds the profile, but
        not which profile it may find. ``codes`` narrows the errors allowed (the profile or a 400)."""
        return cls(clause, "found_or_none", frozenset(codes) if codes else None, forbidden, profile_id, reason)

    @classmethod
    def not_profile(cls, clause: str, profile_id: str, reason: str = "") -> Expect:
        """Not this profile: an error other than 401-403 (400 allowed), or a success that describes
        another profile, never ``profile_id`` (a value near one of its identifiers, R5)."""
        return cls(clause, "not_profile", None, AUTH_CODES, profile_id, reason)

    @classmethod
    def applied_or_refused(cls, clause: str, reason: str = "") -> Expect:
        """A write the contract lets a server take or refuse (a number beyond what it must hold):
        success, or an error other than 401-403; either way the reads must agree with the answer."""
        return cls(clause, "found_or_none", None, frozenset({401, 402, 403}), None, reason)

    @classmethod
    def anything(cls, clause: str, reason: str = "") -> Expect:
        return cls(clause, "any", reason=reason)
