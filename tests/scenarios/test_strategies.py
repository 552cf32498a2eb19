"""The strategies make what they say: valid requests validate, invalid ones fail for their reason."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from altcraft_contract.contract import schemas
from altcraft_contract.contract.calls import Auth
from altcraft_contract.reference.server import target_for
from altcraft_contract.scenarios import strategies

TARGET = target_for("http://127.0.0.1:1", "v74")


@settings(max_examples=200, deadline=None)
@given(strategies.valid_calls(TARGET))
def test_valid_calls_validate_against_the_request_schema(example) -> None:
    call, expect = example
    assert list(schemas.violations("request", call.body_fields(), "R4")) == []
    assert expect.outcome == "success" and expect.profile_id in {p.profile_id for p in TARGET.profiles}
    assert call.auth in (Auth.BODY, Auth.HEADER)


@settings(max_examples=300, deadline=None)
@given(strategies.invalid_calls(TARGET))
def test_invalid_calls_fail_the_schema_for_their_stated_reason(example) -> None:
    call, expect, why = example
    found = list(schemas.violations("request", call.body_fields(), "R4"))
    assert found, why
    assert why.path in {v.path for v in found}, (why, found)
    assert expect.codes == {400}


@settings(max_examples=200, deadline=None)
@given(strategies.unknown_calls(TARGET))
def test_unknown_calls_are_well_formed(example) -> None:
    call, expect = example
    assert list(schemas.violations("request", call.body_fields(), "R4")) == []
    assert expect.forbidden == {401, 402, 403}
    fields = call.body_fields()
    if fields["rel_id"] == TARGET.rel_id:  # otherwise the relation is the unknown part
        assert fields.get("profile_id") not in {p.profile_id for p in TARGET.profiles}


@settings(max_examples=300, deadline=None, database=None)
@given(st.sampled_from(strategies.variations(TARGET)).flatmap(
    lambda v: strategies.valid_calls(TARGET, variation=v).map(lambda e: (v, e))))
def test_a_valid_call_has_the_clause_variation_it_was_drawn_for(drawn) -> None:
    """By construction, not by chance: each variation yields calls whose clause is that variation."""
    variation, (call, expect) = drawn
    assert expect.clause == variation == strategies.clause_of(call)


def test_every_mode_and_clause_variation_is_generated() -> None:
    """Every variation the reference target allows is drawn for, and every mode can carry one."""
    assert set(strategies.variations(TARGET)) == {"T2", "T3", "T4", "M1", "M2", "M3", "M5", "X4"}
    modes = {m for v in strategies.VARIATIONS for _, m in strategies.shapes(TARGET, v)}
    assert set(schemas.matching_modes()) <= modes
    assert {m for _, m in strategies.shapes(TARGET, "M2")} == set(schemas.matching_modes())
