"""The input model: classes follow the schema types, and verdicts follow the contract (R4 for what
the schema refuses, success for what the target names, R6 and nothing more where it is free)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from altcraft_contract.contract import inputs, schemas
from altcraft_contract.reference.server import target_for

TARGET = target_for("http://127.0.0.1:1", "v74")


def _verdict(field: str, cls_name: str, fmt: str = "json"):
    ctx = inputs.context(TARGET, field)
    assert not isinstance(ctx, str), ctx
    return inputs.verdict(ctx, next(c for c in inputs.classes_of(field) if c.name == cls_name), fmt)


def test_every_request_field_but_token_and_format_is_modelled_with_its_type_classes() -> None:
    props = schemas.request_schema()["properties"]
    assert set(inputs.fields()) == set(props) - {"token", "format"}
    assert inputs.classes_of("rel_id") == inputs.classes_of("resource_id") == inputs.INTEGER_CLASSES
    assert inputs.classes_of("email") == inputs.STRING_CLASSES
    assert "other letter case" in {c.name for c in inputs.classes_of("matching")}  # an enum


@pytest.mark.parametrize(("field", "cls", "outcome", "clause"), [
    ("rel_id", "typical", "success", "M2"),
    ("rel_id", "true", "error", "R4"),
    ("rel_id", "digit string", "error", "R4"),
    ("rel_id", "float with a fraction", "error", "R4"),
    ("rel_id", "float with a zero fraction", "found_or_none", "R4"),  # 400, or read as 3: never 401-403
    ("rel_id", "2^31", "found_or_none", "R5"),
    ("rel_id", "0", "error", "R5"),  # an id that cannot exist never finds the profile (R5, M3)
    ("rel_id", "-1", "error", "R5"),
    ("resource_id", "0", "error", "M3"),
    ("resource_id", "-1", "error", "M3"),
    ("resource_id", "1 and 400 zeros", "found_or_none", "M3"),
    ("matching", "other letter case", "error", "R4"),
    ("matching", "leading and trailing spaces", "error", "R4"),
    ("email", "empty", "error", "R4"),
    ("email", "null", "error", "R4"),
    ("email", "leading and trailing spaces", "any", "R6"),  # left free: zero false positives
    ("email", "100,000 characters", "any", "R6"),
    ("phone", "Cyrillic", "any", "R6"),
    ("profile_id", "Cyrillic", "error", "R5"),  # D1: no profile id holds it
    ("field_value", "a number", "any", "R6"),  # an integer is a field_value's type
    ("field_name", "a number", "error", "R4"),
])
def test_verdicts_are_computed_from_the_contract(field: str, cls: str, outcome: str, clause: str) -> None:
    v = _verdict(field, cls)
    assert (v.outcome, v.clause) == (outcome, clause)
    if outcome == "error" and clause == "R4":
        assert v.codes == {400}


@pytest.mark.parametrize(("field", "cls", "outcome"), [
    ("rel_id", "float with a fraction", "error"),  # "3.5" is no xs:integer
    ("rel_id", "true", "error"),
    ("rel_id", "typical", "success"),
    ("field_value", "typical", "success"),  # the integer 123420, typed back by the XSD
    ("matching", "whitespace only", "any"),  # empty or not: the XML parser's call
    ("email", "control characters", "any"),  # XML 1.0 cannot carry them
])
def test_xml_verdicts_type_the_text_by_the_xsd(field: str, cls: str, outcome: str) -> None:
    assert _verdict(field, cls, "xml").outcome == outcome


@pytest.mark.parametrize("field", inputs.fields())
def test_a_refused_class_breaks_the_request_schema_and_a_found_one_does_not(field: str) -> None:
    ctx = inputs.context(TARGET, field)
    assert not isinstance(ctx, str)
    for cls in inputs.classes_of(field):
        v = inputs.verdict(ctx, cls)
        broken = list(schemas.violations("request", ctx.request(cls.make(ctx.real)), "R4"))
        assert bool(broken) == (v.clause == "R4" and v.outcome == "error"), (field, cls.name, broken)


def test_a_target_without_the_data_says_why_a_field_has_no_context() -> None:
    bare = replace(TARGET, profiles=(replace(TARGET.profiles[0], phone=None, resource_id=None, email=None),))
    assert "phone" in str(inputs.context(bare, "phone"))
    assert "resource_id" in str(inputs.context(bare, "resource_id"))
    assert not isinstance(inputs.context(bare, "profile_id"), str)


@pytest.mark.parametrize(("field", "cls"), [("rel_id", "0"), ("rel_id", "-1"), ("resource_id", "0"), ("resource_id", "-1")])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_id_that_cannot_exist_never_finds_the_profile(field: str, cls: str, fmt: str) -> None:
    v = _verdict(field, cls, fmt)
    assert v.outcome == "error" and v.codes is None and set(v.forbidden) == {401, 402, 403}
