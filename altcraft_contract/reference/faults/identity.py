"""Faults in telling identifiers apart (``contract/inputs_identity.py``): matching that is too loose,
so a value near a profile's identifier finds that profile, and ids that cannot name anything
taken as "any". Each is a plausible lookup bug (a LIKE, a fixed-width column, a missing bound)
that only the near-misses and the ids 0 and -1 send, and each breaks one clause."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from ..data import PROFILES, RELATIONS
from . import Fault

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append


def _emails() -> list[str]:
    return [e for p in PROFILES for e in (p.email, *(s.email for s in p.subscriptions)) if e]


def _phones() -> list[str]:
    return [n for p in PROFILES for n in (p.phone, *(s.phone for s in p.subscriptions)) if n]


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def _loose(field: str, known: Callable[[], Iterable[Any]], same: Callable[[str, str], bool]) -> Any:
    """A fields hook: a value no profile holds is taken for the first known one ``same`` calls equal."""
    def hook(app: Any, inc: Any) -> None:
        value = inc.fields.get(field)
        if not isinstance(value, str | int) or isinstance(value, bool) or len(str(value)) < 3:
            return
        values = list(known())
        if any(str(v) == str(value) for v in values):
            return
        match = next((v for v in values if same(str(value), str(v))), None)
        if match is not None:
            inc.fields[field] = match
    return hook


register(Fault("email_local_part_only", "R5", "matches an email by its local part, whatever its domain",
               fields=_loose("email", _emails, lambda got, known: got.split("@")[0] == known.split("@")[0])))
register(Fault("email_prefix_matched", "R5", "matches an email by prefix (LIKE 'value%')",
               fields=_loose("email", _emails, lambda got, known: known.startswith(got))))
register(Fault("phone_last_digit_ignored", "R5", "compares phones without their last digit",
               fields=_loose("phone", _phones, lambda got, known: got[:-1] == known[:-1])))
register(Fault("phone_compared_on_last_10_digits", "R5", "compares phones on their last 10 digits (a country "
               "code changed still finds the profile)",
               fields=_loose("phone", _phones, lambda got, known: _digits(got)[-10:] == _digits(known)[-10:])))
register(Fault("email_plus_tag_dropped", "R5", "drops a +tag from an email's local part before matching",
               fields=_loose("email", _emails, lambda got, known: "+" in got.split("@")[0]
                             and re.sub(r"\+[^@]*@", "@", got) == known)))
register(Fault("profile_id_23_digits", "R5", "compares profile ids on their first 23 hex digits",
               fields=_loose("profile_id", lambda: [p.profile_id for p in PROFILES],
                             lambda got, known: len(got) == 24 and got[:23] == known[:23])))
register(Fault("custom_value_prefix_matched", "R5", "matches a custom field value by prefix (LIKE 'value%')",
               fields=_loose("field_value", lambda: [p.fields.get("CRM_ID") for p in PROFILES if "CRM_ID" in p.fields],
                             lambda got, known: known.startswith(got))))


def _non_positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value <= 0


def _any_relation(app: Any, inc: Any) -> None:
    if _non_positive(inc.fields.get("rel_id")):
        inc.fields["rel_id"] = RELATIONS[0].rel_id  # "no relation given": the first one


register(Fault("rel_id_0_any_relation", "R5", "takes rel_id 0 or a negative one as any relation (the first)",
               fields=_any_relation))


def _any_resource(app: Any, inc: Any) -> None:
    if _non_positive(inc.fields.get("resource_id")):
        inc.fields.pop("resource_id")  # "no resource given": every subscription


register(Fault("resource_id_0_any_resource", "M3", "takes resource_id 0 or a negative one as no resource",
               fields=_any_resource))


def _phone_resource_ignored(app: Any, inc: Any) -> None:
    if inc.fields.get("matching") == "phone":
        inc.fields.pop("resource_id", None)


register(Fault("resource_id_ignored_for_phone", "M3", "ignores resource_id when matching by phone",
               fields=_phone_resource_ignored))


def _own_email_through_resource(app: Any, inc: Any) -> None:
    """With resource_id, the profile's own email finds it when any of its subscriptions is on that
    resource (a join on the profile instead of on the subscription)."""
    email, resource = inc.fields.get("email"), inc.fields.get("resource_id")
    if inc.fields.get("matching", "email") != "email" or not isinstance(email, str):
        return
    for p in PROFILES:
        sub = next((s for s in p.subscriptions if s.resource_id == resource and s.email), None)
        if p.email == email and sub is not None:
            inc.fields["email"] = sub.email


register(Fault("own_email_found_through_resource", "M3", "with resource_id, finds a profile by its own email when "
               "any of its subscriptions is on that resource", fields=_own_email_through_resource))
