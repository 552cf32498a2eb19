"""The identity dimension: near-misses of every identifier the target names, each differing from the
identifier beyond letter case, never a subset of a tag list, and all with one verdict: not that
profile (R5)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from altcraft_contract.contract import inputs_identity as ident
from altcraft_contract.contract import schemas
from altcraft_contract.reference.server import target_for

TARGET = target_for("http://127.0.0.1:1", "v74")
ROWS = ident.near_misses(TARGET)


def _value(row: ident.NearMiss) -> object:
    assert row.fields is not None
    mode = row.fields["matching"]
    return row.fields["field_value" if mode == "custom" else "email" if mode.startswith("email") else mode]


def test_every_identifier_of_every_profile_gets_every_kind_in_its_mode() -> None:
    sent = [r for r in ROWS if r.fields]
    assert len(sent) == len(ROWS)  # the reference's target names every identifier
    for p in TARGET.profiles:
        names = {(r.field, r.name.rsplit(" (", 1)[0]) for r in sent if r.name.endswith(f"({p.profile_id})")}
        assert {("near-miss: profile_id", k) for k in ("its last hex digit changed", "its first hex digit changed")} <= names
        if p.email:
            assert {("near-miss: own email", k) for k in ident.EMAIL_KINDS} <= names
            assert ("near-miss: own email, matching=email_profile", "another domain") in names
        if p.phone:
            assert {("near-miss: phone", k) for k in ident.PHONE_KINDS} <= names
    modes = {r.fields["matching"] for r in sent if r.fields}
    assert modes == set(schemas.matching_modes())
    assert any("resource_id" in (r.fields or {}) and r.fields["matching"] == m for r in sent for m in ("email", "phone"))


@pytest.mark.parametrize("row", [r for r in ROWS if r.fields], ids=lambda r: f"{r.field}: {r.name}")
def test_a_near_miss_is_not_the_identifier_in_any_letter_case_and_its_verdict_is_not_that_profile(
        row: ident.NearMiss) -> None:
    pid = row.name.rsplit("(", 1)[1].rstrip(")")
    p = next(p for p in TARGET.profiles if p.profile_id == pid)
    own = {str(v).lower() for v in (p.email, p.subscription_email, p.phone, p.profile_id, p.field_value) if v}
    assert str(_value(row)).lower() not in own
    assert row.expect is not None
    assert (row.expect.outcome, row.expect.clause, row.expect.profile_id) == ("not_profile", "R5", pid)
    assert set(row.expect.forbidden) == {401, 402, 403}


def test_near_miss_requests_are_well_formed_so_only_the_value_is_wrong() -> None:
    for row in ROWS:
        assert row.fields is not None
        assert not list(schemas.violations("request", row.fields, "R4")), row


@pytest.mark.parametrize(("value", "kinds"), [
    ("tag-1, tag-2", {"one off (its last character replaced)": "tag-1, tag-~", "its last character cut": "tag-1, tag-"}),
    ("tag-1, x", {"one off (its last character replaced)": "tag-1, ~", "its last character cut": None}),  # {tag-1}
    ("A-77", {"one off (its last character replaced)": "A-7~", "its last character cut": "A-7"}),
    (123420, {"one off": 123421, "its last digit cut": 12342}),
    (7, {"one off": 8, "its last digit cut": None}),
])
def test_custom_near_misses_never_name_a_subset_of_the_tags(value: int | str, kinds: dict[str, object]) -> None:
    got = {n.kind: (None if n.skip else n.value) for n in ident.custom_near_misses(value)}
    assert got == kinds


def test_a_phone_near_miss_keeps_profiles_that_differ_in_their_last_digit_apart() -> None:
    a, b = ident.phone_near_misses("+79000000000"), ident.phone_near_misses("+79000000002")
    assert not {n.value for n in a} & {n.value for n in b}


def test_a_target_without_an_identifier_says_why_its_near_misses_are_not_sent() -> None:
    bare = replace(TARGET, profiles=tuple(replace(p, phone=None, subscription_email=None) for p in TARGET.profiles))
    rows = [r for r in ident.near_misses(bare) if r.field in ("near-miss: phone", "near-miss: subscription email",
                                                             "near-miss: phone with resource_id")]
    assert rows and all(r.fields is None and r.why_not.startswith("the target file names no profile") for r in rows)
    assert {r.name for r in rows if r.field == "near-miss: phone"} == set(ident.PHONE_KINDS)
