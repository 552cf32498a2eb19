"""Numbers compared as the contract says: predictions exact from the text, the contract's 1e-9
relative and no more, booleans never numbers."""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from altcraft_contract.contract import numbers
from altcraft_contract.contract.numbers import Exact, close, exact, same, sum_of, to_plain


def test_a_cancelling_sum_is_predicted_exactly() -> None:
    values = json.loads("[1e16, 1.5, -1e16]", parse_float=Decimal)
    total = sum_of(values)
    assert total.value == Fraction(3, 2)
    assert sum([1e16, 1.5, -1e16]) == 2.0  # what a double prediction would have said
    assert close(total, Decimal("1.5"))  # a server keeping exact decimals is right
    assert not close(total, 2.0)  # one whose doubles cancellation made wrong is not the exact sum (C3)


def test_the_contract_tolerance_is_1e_9_relative() -> None:
    assert close(1_000_000_000, 1_000_000_001)
    assert not close(1_000_000, 1_000_001)
    assert not close(Decimal("123456789.123"), 123456792.0)  # what a float32 keeps of it
    assert not close(0, Decimal("1e-12"))  # a plain number has no terms to have rounded


def test_kinds_before_values() -> None:
    assert not same(True, 1) and not same(1, True) and not same(False, 0)
    assert same(True, True) and same(5, 5.0) and same(Decimal("5.0"), 5)
    assert exact(True) is None and exact("5") is None and exact(float("nan")) is None
    assert Exact.of(5) == 5.0 and Exact.of(5) != True  # noqa: E712  (the comparison is the point)


def test_floats_are_the_text_they_were_written_as() -> None:
    assert exact(0.1) == Fraction(1, 10)  # json.dumps(0.1) and str(0.1) write "0.1"
    assert exact(1e-7) == Fraction(1, 10**7)
    assert exact(123456789.123) == Fraction(123456789123, 1000)


def test_a_prediction_goes_back_on_the_wire_as_its_digits() -> None:
    assert to_plain(Fraction(3, 2)) == Decimal("1.5") and to_plain(Fraction(7)) == 7
    assert to_plain(Fraction(1, 10**400)) == Decimal("1e-400")
    assert numbers.plain({"a": [Decimal("0.1"), Exact.of(Decimal("123456789.12345678901"))]}) == \
        {"a": [0.1, "123456789.12345678901"]}


decimals = st.decimals(min_value=-10**20, max_value=10**20, places=6, allow_nan=False, allow_infinity=False)


@given(st.lists(decimals, min_size=1, max_size=8))
def test_an_exact_sum_passes_and_one_off_by_more_than_1e_9_fails(values: list[Decimal]) -> None:
    total = sum_of(values)
    assert close(total, sum(values, Decimal(0)))
    off = total.value * (1 + numbers.REL * 3) if total.value else Fraction(1, 10**12)
    assert not close(total, off)


@given(st.lists(st.decimals(min_value=1, max_value=10**6, places=3), min_size=1, max_size=8))
def test_a_server_keeping_doubles_passes_on_ordinary_values(values: list[Decimal]) -> None:
    doubles = 0.0
    for v in values:
        doubles += float(v)
    assert close(sum_of(values), doubles)
