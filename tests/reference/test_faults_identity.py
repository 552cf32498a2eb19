"""Each fault of telling identifiers apart is real: the faulty reference finds the profile a near-miss
(or an id that cannot exist) was derived from, the correct one does not."""

from __future__ import annotations

import pytest

from altcraft_contract.contract import inputs, inputs_identity
from altcraft_contract.contract.calls import Call, Expect
from altcraft_contract.reference import catalogue
from altcraft_contract.reference.data import A1
from tests.reference.faults_helper import TARGET, judged

NEAR_MISSES = {
    "email_local_part_only": ("near-miss: own email", "another domain"),
    "email_prefix_matched": ("near-miss: own email", "its last character cut (a prefix)"),
    "phone_last_digit_ignored": ("near-miss: phone", "its last digit changed"),
    "profile_id_23_digits": ("near-miss: profile_id", "its last hex digit changed"),
    "custom_value_prefix_matched": ("near-miss: custom value", "its last digit cut"),
    "phone_compared_on_last_10_digits": ("near-miss: phone", "its first digit changed"),
    "email_plus_tag_dropped": ("near-miss: own email", "a +tag after its local part"),
}


def _left_out(mode: str) -> tuple[Call, Expect]:
    """A1's own email or phone with the resource its target row names, whose subscription carries
    neither (resource_identifiers = ["subscription_email"]): M3, never A1."""
    p = next(p for p in TARGET.profiles if p.profile_id == A1)
    assert list(p.resource_identifiers or ()) == ["subscription_email"]
    value = p.email if mode == "email" else p.phone
    return (Call.of({"rel_id": TARGET.rel_id, "matching": mode, mode: value, "resource_id": p.resource_id}),
            Expect.not_profile("M3", A1))


def _near(field: str, kind: str) -> tuple[Call, Expect]:
    row = next(r for r in inputs_identity.near_misses(TARGET) if r.field == field and r.name == f"{kind} ({A1})")
    assert row.fields is not None and row.expect is not None
    return Call.of(row.fields), row.expect


def _id_class(field: str, cls: str) -> tuple[Call, Expect]:
    ctx = inputs.context(TARGET, field)
    assert not isinstance(ctx, str)
    value_class = next(c for c in inputs.classes_of(field) if c.name == cls)
    return Call.of(ctx.request(value_class.make(ctx.real))), inputs.verdict(ctx, value_class)


CASES = {**{f: _near(*k) for f, k in NEAR_MISSES.items()},
         "rel_id_0_any_relation": _id_class("rel_id", "0"), "resource_id_0_any_resource": _id_class("resource_id", "-1"),
         "resource_id_ignored_for_phone": _left_out("phone"), "own_email_found_through_resource": _left_out("email")}


def test_every_fault_of_the_identity_module_is_proven_here() -> None:
    from altcraft_contract.reference.faults import identity
    assert {f.name for f in identity.FAULTS} == set(CASES)


@pytest.mark.parametrize("fault", sorted(CASES))
def test_the_fault_finds_the_profile_and_the_correct_app_does_not(fault: str) -> None:
    call, expect = CASES[fault]
    good, good_failed = judged("none", call, expect)
    bad, bad_failed = judged(fault, call, expect)
    assert good_failed == set() and good.error_code not in (0, None), good.envelope
    assert bad.error_code == 0 and bad.data["profile_id"] == A1, bad.envelope
    assert bad_failed == {catalogue.get(fault).clause}
