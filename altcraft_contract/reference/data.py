"""Demo data for the reference endpoint: one store of links, chosen to exercise every clause.

get_counter's answers are computed from the store (each relation says how it aggregates each
property) and relations/get lists it, so the two reads agree by construction (C1-C4).

Profile A1 has top-, sum- and neither-kind properties, an int and a float sum and a Cyrillic
property name; A2 has no relations (``props: {}``); A3 has a one-item ``top`` and an int sum;
A4 has more links than ``top`` holds, with tied values. A1 also has a subscription-only email (M6) and resources
for ``resource_id`` (M3); A4 matches by an integer custom field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

import xxhash

Kind = Literal["top", "sum", "none"]
TOP_SIZE = 10  # how many items top holds at most (left free by the contract)


@dataclass(frozen=True)
class Subscription:
    resource_id: int
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class DemoProfile:
    profile_id: str
    email: str | None = None
    phone: str | None = None
    fields: dict[str, int | str | list[str]] = field(default_factory=dict)
    subscriptions: tuple[Subscription, ...] = ()


@dataclass(frozen=True)
class Link:
    """One link of the store: an A profile linked to a B profile under one relation, with its values."""

    rel_id: int
    a_profile_id: str
    b_profile_id: str
    values: dict[str, float | int | bool | Decimal]
    db_b: int = 9  # the B database (free: any integer)


@dataclass(frozen=True)
class Relation:
    """A configured relation: how get_counter aggregates each property (top, sum or neither)."""

    rel_id: int
    kinds: dict[str, Kind]


def _b(n: int) -> str:
    return f"5c910938c484d023b13{n:05x}"


A1, A2, A3, A4 = ("5c910f6bc484d023b1309bee", "669e6968ebf4ac52b623a997",
                  "5d63dbdb439e7306b596c5d0", "61a0f2b3c4d5e6f708192a3b")

PROFILES: tuple[DemoProfile, ...] = (
    DemoProfile(A1, "john@example.com", "+79000000000",
                {"CRM_ID": 123420, "Interests": ["tag-1", "tag-2"]},
                (Subscription(24, "john@example.com", "+79000000000"), Subscription(25, "j.sub@example.com"))),
    DemoProfile(A2, "anna@example.com", "+79000000002", {"CRM_ID": "A-77"}, (Subscription(24, "anna@example.com", "+79000000002"),)),
    DemoProfile(A3, "oleg@example.com", None, {"CRM_ID": "crm-3"}),
    DemoProfile(A4, None, "+79000000004", {"CRM_ID": 555}, (Subscription(26, phone="+79000000004"),)),
)
# Found like any profile, but kept out of PROFILES and target_profiles(): the read scenarios must
# not see what writes do to it.
A5 = "5c910f6bc484d023b1309bf0"
WRITE_PROFILES: tuple[DemoProfile, ...] = (DemoProfile(A5),)

RELATIONS: tuple[Relation, ...] = (
    Relation(3, {"Donate": "top", "Like": "sum", "Subscriber": "none", "Оценка": "sum", "Idle": "sum", "Balance": "sum"}),
    Relation(7, {"Visits": "sum"}),
)

# The store: every link, in insertion order (relations/get lists them; get_counter aggregates them).
LINKS: tuple[Link, ...] = (
    Link(3, A1, _b(0xbab), {"Donate": 20, "Like": 1, "Subscriber": True, "Оценка": 4.5}),
    Link(3, A1, _b(0xbac), {"Donate": 15.5, "Like": 1, "Оценка": 3.25}),
    Link(3, A1, _b(0xbad), {"Donate": 7, "Subscriber": True}),
    # Idle is 0: whether a 0-valued property is listed is free (get_counter leaves it out by default).
    Link(3, A3, _b(0xc01), {"Donate": 50, "Like": 3, "Idle": 0}),
    # Pairs of equal values: the order of ties in top is left free by the contract.
    *(Link(3, A4, _b(0xd00 + i), {"Donate": 100 - (i // 2) * 3, "Like": 2}) for i in range(12)),
    # A5 is written to (writes_table): its links change under writes, no read scenario names it.
    Link(3, A5, _b(0xe01), {"Donate": 5, "Like": 2}),
    Link(3, A5, _b(0xe02), {"Donate": 12.5, "Subscriber": True}),
)

# Every B profile that exists: those with a link, and two without one (a write may link them).
B_PROFILES: frozenset[str] = frozenset({link.b_profile_id for link in LINKS} | {_b(0xe03), _b(0xe04)})


def links_of(rel_id: int, a_profile_id: str) -> tuple[Link, ...]:
    """The seed links of one A profile under one relation, in store order (an app's ``Store`` may differ)."""
    return tuple(link for link in LINKS if link.rel_id == rel_id and link.a_profile_id == a_profile_id)


VALID_TOKENS = frozenset({"reference-demo-token"})
UNKNOWN_REL_ID = 999999
UNKNOWN_RESOURCE_ID = 4242


# The exact-decimals variant's seed: every number as the Decimal of its text, and A1's links also
# carry a sum property whose values cancel (a double sum says 2, the exact one 1.5).
CANCELLING = ("1e16", "1.5", "-1e16")


def exact_links() -> tuple[Link, ...]:
    """The seed links with exact numbers, and A1's cancelling Balance values."""
    out, extra = [], iter(CANCELLING)
    for link in LINKS:
        values: dict[str, float | int | bool | Decimal] = {
            k: v if isinstance(v, (bool, int)) else Decimal(repr(v)) for k, v in link.values.items()}
        if link.rel_id == 3 and link.a_profile_id == A1:
            values["Balance"] = Decimal(next(extra))
        out.append(replace(link, values=values))
    return tuple(out)


def is_zero(value: float | int | bool | Decimal) -> bool:
    """A 0-valued property (whether it is listed is free); a boolean is never 0."""
    return not isinstance(value, bool) and value == 0


def xxh(profile_id: str) -> str:
    """D2: xxHash64, seed 0, of the ASCII bytes of the id."""
    return xxhash.xxh64_hexdigest(profile_id.encode("ascii"))


def target_profiles() -> list[dict[str, object]]:
    """The [[data.profiles]] tables a target file for this data names."""
    out: list[dict[str, object]] = []
    for p in PROFILES:
        row: dict[str, object] = {"profile_id": p.profile_id}
        if p.email:
            row["email"] = p.email
        if p.phone:
            row["phone"] = p.phone
        # resource_id names a resource whose subscription carries both the email and the phone (M3);
        # for one profile, one whose subscription carries only another email, so that what the list
        # leaves out (its own email and phone) is shown to find nothing through that resource.
        full = [s for s in p.subscriptions if s.email == p.email and s.phone == p.phone]
        other = [s for s in p.subscriptions if s.email and s.email != p.email and not s.phone]
        if other and not any(r.get("resource_identifiers") == ["subscription_email"] for r in out):
            row["resource_id"] = other[0].resource_id
            row["resource_identifiers"] = ["subscription_email"]
        elif full:
            row["resource_id"] = full[0].resource_id
            row["resource_identifiers"] = ["email", "phone"]
        row["field_name"] = "CRM_ID"
        row["field_value"] = p.fields["CRM_ID"]
        subs_only = [s.email for s in p.subscriptions if s.email and s.email != p.email]
        if subs_only:
            row["subscription_email"] = subs_only[0]
        out.append(row)
    return out


def writes_table() -> dict[str, object]:
    """The [writes] table a target file for this data names: where the suite may write (S3)."""
    return {"rel_id": 3, "profile_a": A5, "profiles_b": [_b(0xe01), _b(0xe02), _b(0xe03)],
            "properties": ["Donate", "Like"]}
