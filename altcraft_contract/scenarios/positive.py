"""Fixed probes that must succeed: transport variants (T2-T4), matching (M1-M6), repeats (I1)."""

from __future__ import annotations

from typing import Any

from ..checks.failures import Failure
from ..checks.relational import same_answer_twice, same_data_across_modes, same_result_body_or_header_token
from ..contract.calls import Auth, Call, Expect, Format
from ..contract.target import Profile, Target
from ..run.session import Session
from ..wire.record import ExchangeRecord
from .registry import ScenarioList, needs_profiles
from .strategies import CHARSET_JSON, CHARSET_XML

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
scenario = SCENARIOS.scenario


def by_mode(s: Session, p: Profile, mode: str, **extra: Any) -> Call:
    return Call.of({"rel_id": s.target.rel_id, "matching": mode, **(p.identifiers(mode) or {}), **extra})


def by_id(s: Session, p: Profile) -> Call:
    return by_mode(s, p, "profile_id")


@scenario("M2", "every profile is found by each of its identifiers")
def each_profile_each_mode(s: Session) -> None:
    s.expect_all([(by_mode(s, p, mode), Expect.success("M2", p.profile_id))
                  for p in s.target.profiles for mode in p.modes()])


@scenario("M4", "every mode returns the same data for one profile")
def modes_agree(s: Session) -> None:
    for p in s.target.profiles:
        # A mode that finds nothing is M2's failure; M4 is about what the modes that succeed say.
        answers = s.expect_all([(by_mode(s, p, m), Expect.success("M2", p.profile_id)) for m in p.modes()])
        s.compare(same_data_across_modes, answers)


@scenario("M2", "custom matching takes an integer value as a decimal string",
          needs=lambda t: None if any(isinstance(p.field_value, int) for p in t.profiles)
          else "the target file names no profile with an integer field_value")
def custom_value_as_string(s: Session) -> None:
    for p in s.target.profiles:
        if isinstance(p.field_value, int):
            s.expect(by_mode(s, p, "custom").with_fields(field_value=str(p.field_value)),
                     Expect.success("M2", p.profile_id))


@scenario("M1", "a request without matching is matched by email", needs=needs_profiles("email"))
def default_mode_is_email(s: Session) -> None:
    for p in s.target.profiles_with("email"):
        s.expect(Call.of({"rel_id": s.target.rel_id, "email": p.email}), Expect.success("M1", p.profile_id))


@scenario("D1", "profile_id in upper case finds that profile (shown in lower case) or nothing")
def profile_id_upper_case(s: Session) -> None:
    """Letter case in an identifier is free (R5), but what a success shows is not: D1's 24 lowercase
    hex digits of the profile found, never the request's spelling."""
    for p in s.target.profiles[:2]:
        why = f"{p.profile_id.upper()!r} differs from the profile's id in letter case only, which is free"
        s.expect(Call.of({"rel_id": s.target.rel_id, "matching": "profile_id", "profile_id": p.profile_id.upper()}),
                 Expect.found_or_none("D1", p.profile_id, why))


@scenario("M5", "the documented example: profile_id without matching")
def documented_example(s: Session) -> None:
    p = s.target.profiles[0]
    s.expect(Call.of({"rel_id": s.target.rel_id, "profile_id": p.profile_id}), Expect.success("M5", p.profile_id))


@scenario("M3", "resource_id narrows email and phone matching to that resource", needs=needs_profiles("resource_id"))
def resource_narrows(s: Session) -> None:
    for p in s.target.profiles_with("resource_id"):
        named = p.resource_identifiers
        if named is not None:  # the target file says what the resource's subscription carries
            for mode in named:
                if mode == "subscription_email":  # found by matching=email (M6: not by email_profile)
                    s.expect(by_mode(s, p, "email", email=p.subscription_email, resource_id=p.resource_id),
                             Expect.success("M3", p.profile_id))
                elif p.identifiers(mode):
                    s.expect(by_mode(s, p, mode, resource_id=p.resource_id), Expect.success("M3", p.profile_id))
            # What the file leaves out of the list, the resource's subscriptions do not carry: the
            # profile's own email or phone with this resource_id finds it through nothing.
            for mode in ("email", "phone"):
                own = p.email if mode == "email" else p.phone
                if mode in named or not p.identifiers(mode) or \
                        (mode == "email" and (own or "").lower() == (p.subscription_email or "").lower()):
                    continue
                why = (f"resource_identifiers of profile {p.profile_id} leave out its {mode}: resource "
                       f"{p.resource_id}'s subscriptions do not carry {own!r} (if one does, add {mode!r} "
                       "to resource_identifiers)")
                s.expect(by_mode(s, p, mode, resource_id=p.resource_id), Expect.not_profile("M3", p.profile_id, why))
            continue
        # Otherwise the file says only that the resource holds a subscription of this profile: each
        # identifier finds this profile or nothing, and at least one of them finds it.
        tries = [by_mode(s, p, mode, resource_id=p.resource_id) for mode in ("email", "phone") if p.identifiers(mode)]
        if p.subscription_email:
            tries.append(by_mode(s, p, "email", email=p.subscription_email, resource_id=p.resource_id))
        why = f"resource {p.resource_id} holds a subscription of profile {p.profile_id}"
        answers = [s.expect(c, Expect.found_or_none("M3", p.profile_id, why)) for c in tries]
        if answers and not any(a.error_code == 0 for a in answers):
            s.enforce([Failure("M3", "answer_matches_expectation", "The profile's resource finds it by none of its "
                               "identifiers", f"{why}, but email, phone and subscription email with resource_id "
                               "all found nothing", received=[a.error_code for a in answers], expected="0 for one",
                               exchanges=tuple(ExchangeRecord.of(a) for a in answers))])


# Without [data] unknown_resource_id, an id no deployment plausibly uses: a resource that does not
# exist holds none of the profile's subscriptions either, so M3 still expects "nothing found".
FALLBACK_UNKNOWN_RESOURCE_ID = 2_000_000_001


def unknown_resource_id(target: Target) -> int:
    if target.unknown_resource_id is not None:
        return target.unknown_resource_id
    used = {p.resource_id for p in target.profiles}
    return next(i for i in range(FALLBACK_UNKNOWN_RESOURCE_ID, FALLBACK_UNKNOWN_RESOURCE_ID + 10) if i not in used)


@scenario("M3", "a resource holding none of the profile's subscriptions finds nothing",
          needs=lambda t: needs_profiles("email")(t) and needs_profiles("phone")(t))
def resource_excludes(s: Session) -> None:
    rid = unknown_resource_id(s.target)
    for p in s.target.profiles:
        for mode in ("email", "phone"):
            if p.identifiers(mode):
                s.expect(by_mode(s, p, mode, resource_id=rid),
                         Expect.error("M3", None, forbidden={401, 402, 403},
                                      reason=f"resource {rid} holds no subscription of this profile"))


@scenario("M6", "a subscription-only email is found by email, not by email_profile",
          needs=needs_profiles("subscription_email"))
def email_profile_is_profile_only(s: Session) -> None:
    for p in s.target.profiles_with("subscription_email"):
        fields = {"rel_id": s.target.rel_id, "email": p.subscription_email}
        s.expect(Call.of({**fields, "matching": "email"}), Expect.success("M6", p.profile_id))
        s.expect(Call.of({**fields, "matching": "email_profile"}),
                 Expect.error("M6", None, forbidden={401, 402, 403}, reason="email_profile ignores subscriptions"))


@scenario("T2", "a JSON or XML body with a charset parameter in Content-Type")
def json_with_charset(s: Session) -> None:
    for p in s.target.profiles:
        s.expect(by_id(s, p).variant(content_type=CHARSET_JSON), Expect.success("T2", p.profile_id))
        s.expect(by_id(s, p).variant(body_format="xml", content_type=CHARSET_XML), Expect.success("T2", p.profile_id))


@scenario("T3", "the token in the Authorization header gives the same answer as in the body")
def header_token(s: Session) -> None:
    for p in s.target.profiles:
        body = s.expect(by_id(s, p), Expect.success("T3", p.profile_id))
        header = s.expect(by_id(s, p).variant(auth=Auth.HEADER), Expect.success("T3", p.profile_id))
        s.compare(same_result_body_or_header_token, [body, header])


def answers_in(s: Session, answer: Format, profiles: tuple[Profile, ...]) -> None:
    """T4: ``format`` in the query and in the body each pick the answer format, whatever the body's
    own format (a JSON body and an XML one each carry it)."""
    for p in profiles:
        for body in ("json", "xml"):
            for where in ("query", "body"):
                s.expect(by_id(s, p).variant(answer_format=answer, format_in=where, body_format=body),
                         Expect.success("T4", p.profile_id))


@scenario("T4", "format=json in the query or in the body answers JSON")
def format_json(s: Session) -> None:
    answers_in(s, "json", s.target.profiles[:1])


@scenario("I1", "the same request twice gives the same answer")
def repeat(s: Session) -> None:
    for p in s.target.profiles:
        call = by_id(s, p)
        s.compare(same_answer_twice, [s.expect(call, Expect.success("I1", p.profile_id)) for _ in range(2)])
