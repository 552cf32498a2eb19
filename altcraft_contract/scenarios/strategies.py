"""Hypothesis strategies for get_counter requests, derived from the request schema and the target.

- ``valid_calls``: requests that must succeed, for each matching mode the target's profiles allow,
  varying the optional fields, the token's place, the Content-Type form and the key order.
- ``invalid_calls``: requests with exactly one R4 fault, each with the reason it is invalid.
- ``unknown_calls``: well-formed requests for identities the target does not hold (R5).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from hypothesis import note
from hypothesis import strategies as st

from ..contract import schemas
from ..contract.calls import Auth, Call, Expect, Format
from ..contract.target import Profile, Target, base_fields

CHARSET_JSON = "application/json; charset=utf-8"
CHARSET_XML = "application/xml; charset=utf-8"
# The order valid_calls writes fields in before shuffling; X4 is about any other order.
_RANK = {"rel_id": 0, "matching": 1, "email": 2, "phone": 2, "profile_id": 2, "field_name": 2, "field_value": 3,
         "resource_id": 4}


@dataclass(frozen=True)
class Invalid:
    """Why a generated request is incorrect: a class from R4 and the JSON path of the fault."""

    kind: str
    path: str
    description: str
    xml_expressible: bool = False  # the same logical request can be written in XML (P1)


def _mode_fields(profile: Profile, mode: str, omit_matching: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {} if omit_matching else {"matching": mode}
    fields.update(profile.identifiers(mode) or {})
    return fields


def in_canonical_order(call: Call) -> bool:
    ranks = [_RANK.get(k, 9) for k, _ in call.fields]
    return ranks == sorted(ranks)


def clause_of(call: Call) -> str:
    """The clause a valid call exercises: its most specific non-default variation."""
    f = call.body_fields()
    if call.content_type:
        return "T2"
    if call.auth is Auth.HEADER:
        return "T3"
    if call.body_format == "xml":
        return "T2" if in_canonical_order(call) else "X4"
    if call.answer_format is not None:
        return "T4"
    if "resource_id" in f:
        return "M3"
    if "matching" not in f:
        return "M1" if "email" in f else "M5"
    return "M2"


# The variations clause_of tells apart; valid_calls draws one and builds a call that has it, so each
# is as likely as the others (none is left to chance). Plainest first: Hypothesis shrinks towards it.
VARIATIONS = ("M2", "M5", "M1", "M3", "T4", "X4", "T3", "T2")
_PRECEDENCE = ("T2", "T3", "X4", "T4", "M3", "M1", "M5", "M2")  # clause_of's order, most specific first


def shapes(target: Target, variation: str) -> list[tuple[Profile, str]]:
    """The (profile, mode) pairs that can carry ``variation``."""
    pairs = [(p, m) for p in target.profiles for m in p.modes()]
    if variation == "M1":
        return [(p, m) for p, m in pairs if m == "email"]
    if variation == "M5":
        return [(p, m) for p, m in pairs if m == "profile_id"]
    if variation == "M3":  # only where the target file says the resource's subscription carries it
        return [(p, m) for p, m in pairs if m in (p.resource_identifiers or ())]
    return pairs


def _off_schema_order(order: list[str]) -> bool:
    ranks = [_RANK.get(k, 9) for k in order]
    return ranks != sorted(ranks)


def variations(target: Target) -> tuple[str, ...]:
    """The variations the target's data allows (M1 needs an email, M3 a resource with identifiers)."""
    return tuple(v for v in VARIATIONS if shapes(target, v))


@st.composite
def valid_calls(draw: st.DrawFn, target: Target, *, variation: str | None = None) -> tuple[Call, Expect]:
    """A request that finds one of the target's profiles, and the expectation that it does; its
    clause is ``variation`` (drawn when not given): every variation more specific is left out."""
    v = variation or draw(st.sampled_from(variations(target)))
    rank = _PRECEDENCE.index(v)  # a variation more specific than v must stay out of the call
    profile, mode = draw(st.sampled_from(shapes(target, v)))
    # M1 default, M5 example: omitted where it is the variation, free where a transport one decides.
    omit = v in ("M1", "M5") or (rank < 4 and mode in ("email", "profile_id") and draw(st.booleans()))
    fields: dict[str, Any] = {"rel_id": target.rel_id, **_mode_fields(profile, mode, omit)}
    # (An integer field_value is not sent as a digit string: the contract does not say it matches.)
    if v == "M3" or (rank < 4 and mode in (profile.resource_identifiers or ()) and draw(st.booleans())):
        fields["resource_id"] = profile.resource_id
    xml = v == "X4" or (v == "T2" and draw(st.booleans()))
    charset = v == "T2" and (not xml or draw(st.booleans()))  # a charset parameter decides T2 alone
    order = draw(st.permutations(list(fields)))
    if v == "X4":
        order = draw(st.permutations(list(fields)).filter(_off_schema_order))
    elif xml and not charset:  # T2 by an XML body: in the schema's order, X4 being about the others
        order = sorted(fields, key=lambda k: _RANK.get(k, 9))
    body_format: Format = "xml" if xml else "json"
    call = Call(
        fields=tuple((k, fields[k]) for k in order),
        auth=Auth.HEADER if v == "T3" else draw(st.sampled_from([Auth.BODY, Auth.HEADER])) if charset else Auth.BODY,
        body_format=body_format,
        content_type=(CHARSET_XML if xml else CHARSET_JSON) if charset else None,
        token_pos=draw(st.integers(0, len(fields))),
    )
    fmt = draw(st.sampled_from(["query", "body"])) if v == "T4" else (
        draw(st.sampled_from([None, "query", "body"])) if rank < 3 else None)
    if fmt:
        call = call.variant(answer_format=draw(st.sampled_from(["json", "xml"])), format_in=fmt)
    note(f"valid ({v}): {profile.profile_id} by {mode}: {call}")
    return call, Expect.success(clause_of(call), profile.profile_id)


_NON_STRINGS = st.one_of(st.integers(-5, 10**6), st.none(), st.booleans(), st.just([]), st.just({"v": 1}),
                         st.floats(allow_nan=False, allow_infinity=False))
_FRACTIONS = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer())
_NON_INTEGERS = st.one_of(st.sampled_from(["3", "24", "", "abc"]), st.none(), st.booleans(), st.just([3]), _FRACTIONS)
_STRING_FIELDS = ("email", "phone", "profile_id", "field_name")


def _invalid(draw: st.DrawFn, target: Target) -> tuple[dict[str, Any], Invalid]:
    kind = draw(st.sampled_from(["rel_id missing", "rel_id not an integer", "matching unknown",
                                 "identifier missing", "identifier empty", "string field of another type",
                                 "resource_id not an integer", "field_value of another type"]))
    fields = base_fields(target)
    modes = schemas.matching_modes()
    if kind == "rel_id missing":
        del fields["rel_id"]
        return fields, Invalid(kind, "$", "rel_id is required", xml_expressible=True)
    if kind == "rel_id not an integer":
        fields["rel_id"] = draw(_NON_INTEGERS)
        return fields, Invalid(kind, "$.rel_id", f"rel_id = {fields['rel_id']!r}")
    if kind == "matching unknown":
        fields["matching"] = draw(st.one_of(
            st.sampled_from(["EMAIL", "email_sub", "push_sub", "email_phone", "", "Profile_ID"]),
            st.text(string.ascii_lowercase + "_", min_size=1, max_size=12),
            _NON_STRINGS).filter(lambda m: m not in modes))
        # Every identifier the target knows stays, so a fallback to any mode would find a profile.
        first = target.profiles[0]
        fields.update({k: v for k, v in (("email", first.email), ("phone", first.phone)) if v is not None})
        matching = fields["matching"]
        return fields, Invalid(kind, "$.matching", f"matching = {matching!r}",
                               xml_expressible=isinstance(matching, str) and bool(matching.strip()))
    mode = draw(st.sampled_from(modes))
    ident = dict.fromkeys(schemas.identifiers_by_mode()[mode], "x")
    fields = {"rel_id": target.rel_id, "matching": mode, **ident}
    if "field_value" in fields:
        fields["field_value"] = 1
    if kind == "identifier missing":
        gone = draw(st.sampled_from(sorted(ident)))
        del fields[gone]
        return fields, Invalid(kind, "$", f"{gone} is required by matching={mode}", xml_expressible=True)
    if kind == "identifier empty":
        empty = draw(st.sampled_from(sorted(ident)))
        fields[empty] = ""
        return fields, Invalid(kind, f"$.{empty}", f"{empty} is empty")
    if kind == "string field of another type":
        name = draw(st.sampled_from(_STRING_FIELDS))
        fields[name] = draw(_NON_STRINGS)
        return fields, Invalid(kind, f"$.{name}", f"{name} = {fields[name]!r}")
    if kind == "resource_id not an integer":
        fields["resource_id"] = draw(_NON_INTEGERS)
        return fields, Invalid(kind, "$.resource_id", f"resource_id = {fields['resource_id']!r}")
    # 2.0 is an integer to JSON Schema, so only fractional floats are "another type".
    fields["field_value"] = draw(st.one_of(st.none(), st.booleans(), st.just([]), st.just({}), _FRACTIONS))
    return fields, Invalid(kind, "$.field_value", f"field_value = {fields['field_value']!r}")


@st.composite
def invalid_calls(draw: st.DrawFn, target: Target) -> tuple[Call, Expect, Invalid]:
    """A request with exactly one R4 fault, with the reason; the token is valid and in the body."""
    fields, why = _invalid(draw, target)
    order = draw(st.permutations(list(fields)))
    call = Call(fields=tuple((k, fields[k]) for k in order), token_pos=draw(st.integers(0, len(fields))))
    note(f"invalid ({why.kind}): {why.description}")
    return call, Expect.error("R4", {400}, reason=f"incorrect request: {why.description}"), why


_LOCAL = string.ascii_lowercase + string.digits + "._ёжик"


@st.composite
def unknown_calls(draw: st.DrawFn, target: Target) -> tuple[Call, Expect]:
    """A well-formed request for a profile or relation the target does not hold (R5)."""
    known = {p.profile_id for p in target.profiles}
    kind = draw(st.sampled_from(["email", "phone", "profile_id", "custom", "rel_id"]))
    fields: dict[str, Any] = {"rel_id": target.rel_id}
    if kind == "email":
        local = draw(st.text(_LOCAL, min_size=1, max_size=16))
        fields.update(matching="email", email=f"zz-{local}@unknown.example.invalid")
    elif kind == "phone":
        fields.update(matching="phone", phone="+7999" + str(draw(st.integers(10**6, 10**7 - 1))))
    elif kind == "profile_id":
        pid = draw(st.text("0123456789abcdef", min_size=24, max_size=24).filter(lambda p: p not in known))
        fields.update(matching="profile_id", profile_id=pid)
    elif kind == "custom":
        name = next((p.field_name for p in target.profiles if p.field_name), "CRM_ID")
        fields.update(matching="custom", field_name=name,
                      field_value="unknown-" + draw(st.text(string.ascii_lowercase, min_size=1, max_size=10)))
    else:
        fields.update(base_fields(target))
        fields["rel_id"] = draw(st.one_of(st.integers(10**9, 2**63 - 1),
                                          st.just(target.unknown_rel_id or 999_999_999)))
    note(f"unknown {kind}: {fields}")
    return (Call.of(fields),
            Expect.error("R5", None, forbidden={401, 402, 403}, reason=f"nothing matches this {kind}"))


@st.composite
def parity_calls(draw: st.DrawFn, target: Target) -> Call:
    """One logical request that XML can express as well as JSON: valid, incorrect or unknown (P1)."""
    kind = draw(st.sampled_from(["valid", "invalid", "unknown"]))
    if kind == "valid":
        call, _ = draw(valid_calls(target))
        call = call.variant(body_format="json", content_type=None, answer_format=None)
    elif kind == "invalid":
        call, _, _ = draw(invalid_calls(target).filter(lambda e: e[2].xml_expressible))
    else:
        call, _ = draw(unknown_calls(target))
    # Parity is about formats: fields in canonical order and the token first, so X4 stays X4's.
    ordered = tuple(sorted(call.fields, key=lambda kv: _RANK.get(kv[0], 9)))
    return call.variant(fields=ordered, token_pos=0)


def format_combinations(call: Call) -> list[Call]:
    """The four forms of one logical request: JSON or XML body, JSON or XML answer (P1)."""
    return [call.variant(body_format=body, answer_format=answer, format_in="query", content_type=None)
            for body in ("json", "xml") for answer in ("json", "xml")]
