"""The input model's identity dimension: near-misses of every identifier the target file names,
sent in the mode that takes it, beside the identifier itself (``inputs_wire.identifier_rows``).

A near-miss is a value close to a profile's identifier that is not it: an email at another
domain, with its local part one character off (never only in letter case, which is free), with a
character before or after its local part, cut by its last character, its local part alone, or a
``+tag`` after its local part; a phone with a digit more, a digit less (the one before its last),
its last digit changed or its first (a country code); a ``profile_id`` with its first
or last hex digit changed; a custom value one off (an integer plus one, a string's last character
replaced) or cut by its last character. Every profile's identifiers get every kind in the
identifier's own mode; ``email_profile`` and ``resource_id`` with an email or a phone get one kind
each (another domain, the last digit changed).

The verdict, one rule for every row (R5's last paragraph): such a value does not identify the
profile it was derived from. The answer is an error other than 401-403 (R5; R4's 400 too, a
server may refuse the value's form), or a success that describes another profile, never that
one.

Decisions made once:
- A custom field may hold tags, where a subset of the named tags legitimately finds the profile
  (M2), and so might a sibling tag the target file does not name: a string is made one off by
  putting ``~`` in its last place (no tag plausibly holds it), and a near-miss whose tags (split on
  commas) are a subset of the named value's is not sent.
- A value that would be empty once cut (one character long) is not cut: the empty value is an
  incorrect request (R4), a class of its own in ``inputs.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .calls import Expect
from .target import Profile, Target


@dataclass(frozen=True)
class Near:
    """A near-miss value of one kind, or why that kind has none for this identifier."""

    kind: str
    value: Any = None
    skip: str = ""


@dataclass(frozen=True)
class NearMiss:
    """One near-miss: where it is listed, its kind, the request and its verdict (or why not sent)."""

    field: str  # the coverage table's field: "near-miss: own email", ...
    name: str  # the kind, and the profile it was derived from
    fields: dict[str, Any] | None  # the request; None: not sent
    expect: Expect | None
    why_not: str = ""


def _other_char(c: str) -> str:
    """A character that differs from ``c`` in every letter case."""
    if c.isdigit():
        return str((int(c) + 1) % 10) if c.isascii() else "0"
    if c.isascii() and c.isalpha():
        return chr((ord(c.lower()) - 97 + 1) % 26 + 97)
    return "x" if c.lower() != "x" else "y"


def _other_domain(domain: str) -> str:
    labels = domain.split(".")
    if len(labels) < 2 or not labels[-1]:
        return domain + ".invalid"
    labels[-1] = "invalid" if labels[-1].lower() != "invalid" else "test"
    return ".".join(labels)


EMAIL_KINDS = ("another domain", "local part one character off", "a character before it",
               "a character after its local part", "its last character cut (a prefix)", "its local part only",
               "a +tag after its local part")


def email_near_misses(email: str) -> list[Near]:
    local, at, domain = email.rpartition("@")
    if not at or not local or len(email) < 2:
        return [Near(k, skip="the email has no local part and domain") for k in EMAIL_KINDS]
    values = (f"{local}@{_other_domain(domain)}", f"{local[:-1]}{_other_char(local[-1])}@{domain}",
              f"{_other_char(local[0])}{email}", f"{local}{_other_char(local[-1])}@{domain}", email[:-1], local,
              f"{local}+x@{domain}")  # sub-addressing: another address, however a mailbox routes it
    return [Near(k, v) for k, v in zip(EMAIL_KINDS, values, strict=True)]


PHONE_KINDS = ("a digit more", "a digit less", "its last digit changed", "its first digit changed")


def phone_near_misses(phone: str) -> list[Near]:
    last = max((i for i, c in enumerate(phone) if c.isdigit()), default=None)
    if last is None or sum(c.isdigit() for c in phone) < 2:
        return [Near(k, skip="the phone has fewer than two digits") for k in PHONE_KINDS]
    head, tail = phone[:last], phone[last + 1:]
    # The digit before the last one goes: phones that differ in their last digit stay apart.
    before = max(i for i, c in enumerate(head) if c.isdigit())
    # The first digit (a country code, or a trunk prefix) becomes 5 (6 if it was 5): never 0, 7 or
    # 8, which a platform may rightly read as another way of writing the same number (8 for +7).
    first = next(i for i, c in enumerate(phone) if c.isdigit())
    values = (phone[: last + 1] + "0" + tail, phone[:before] + phone[before + 1:],
              head + _other_char(phone[last]) + tail,
              phone[:first] + ("6" if phone[first] == "5" else "5") + phone[first + 1:])
    return [Near(k, v) for k, v in zip(PHONE_KINDS, values, strict=True)]


def _other_hex(c: str) -> str:
    digits = "0123456789abcdef"
    return digits[(digits.index(c.lower()) + 1) % 16] if c.lower() in digits else "0"


def profile_id_near_misses(pid: str) -> list[Near]:
    return [Near("its last hex digit changed", pid[:-1] + _other_hex(pid[-1])),
            Near("its first hex digit changed", _other_hex(pid[0]) + pid[1:])]


def _tags(value: Any) -> set[str]:
    return {t.strip() for t in str(value).split(",") if t.strip()}


def custom_near_misses(value: int | str) -> list[Near]:
    if isinstance(value, int):
        digits = str(value)
        cut = Near("its last digit cut", int(digits[:-1])) if len(digits.lstrip("-")) > 1 else \
            Near("its last digit cut", skip="one digit cannot be cut")
        return [Near("one off", value + 1), cut]
    off = Near("one off (its last character replaced)", value[:-1] + ("^" if value.endswith("~") else "~"))
    cut = Near("its last character cut", value[:-1]) if len(value) > 1 else \
        Near("its last character cut", skip="one character cannot be cut")
    subset = "its tags would be a subset of the named value's tags, which may find the profile (M2)"
    return [n if n.skip or not _tags(n.value) <= _tags(value) else Near(n.kind, skip=subset) for n in (off, cut)]


def _rows(label: str, p: Profile, base: dict[str, Any], field: str, derived: list[Near]) -> list[NearMiss]:
    rows = []
    for near in derived:
        name = f"{near.kind} ({p.profile_id})"
        if near.skip:
            rows.append(NearMiss(label, name, None, None, near.skip))
            continue
        why = f"{label.removeprefix('near-miss: ')}, {near.kind}: {near.value!r} is not the profile's identifier (R5)"
        rows.append(NearMiss(label, name, {**base, field: near.value}, Expect.not_profile("R5", p.profile_id, why)))
    return rows


_KINDS = {"email": EMAIL_KINDS, "subscription_email": EMAIL_KINDS, "phone": PHONE_KINDS,
          "profile_id": ("its last hex digit changed", "its first hex digit changed"),
          "field_value": ("one off", "its last character cut")}
_DERIVE = {"email": email_near_misses, "subscription_email": email_near_misses, "phone": phone_near_misses,
           "profile_id": profile_id_near_misses, "field_value": custom_near_misses}
_WHAT = {"email": "an email", "subscription_email": "a subscription email", "phone": "a phone",
         "field_value": "field_name and field_value"}
# Each identifier: its label, the profiles' attribute, the mode, and whether every kind is sent
# (its own mode) or one (a second mode that takes it).
PLAN: tuple[tuple[str, str, str, bool], ...] = (
    ("own email", "email", "email", True),
    ("subscription email", "subscription_email", "email", True),
    ("phone", "phone", "phone", True),
    ("profile_id", "profile_id", "profile_id", True),
    ("custom value", "field_value", "custom", True),
    ("own email, matching=email_profile", "email", "email_profile", False),
    ("own email with resource_id", "email", "email", False),
    ("phone with resource_id", "phone", "phone", False),
)


def near_misses(target: Target) -> list[NearMiss]:
    """Every near-miss of every identifier the target file names, or why a kind is not sent."""
    rows: list[NearMiss] = []
    for what, attr, mode, every in PLAN:
        label = f"near-miss: {what}"
        with_resource = what.endswith("with resource_id")
        needs = ("field_name", attr) if attr == "field_value" else (attr, "resource_id") if with_resource else (attr,)
        having = target.profiles_with(*needs)
        if not having:
            why = f"the target file names no profile with {_WHAT.get(attr, attr)}" + \
                (" and resource_id" if with_resource else "")
            rows += [NearMiss(label, kind, None, None, why) for kind in _KINDS[attr][: None if every else 1]]
            continue
        for p in having:
            base: dict[str, Any] = {"rel_id": target.rel_id, "matching": mode}
            if with_resource:
                base["resource_id"] = p.resource_id
            if attr == "field_value":
                base["field_name"] = p.field_name
            field = {"subscription_email": "email"}.get(attr, attr)
            derived = _DERIVE[attr](getattr(p, attr))
            rows += _rows(label, p, base, field, derived if every else derived[:1])
    return rows
