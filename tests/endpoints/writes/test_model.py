"""The model of the links under [writes] (endpoints/writes/model.py): what the contract leaves free
stays free (absent == 0, 1e-9 relative, order), and the restore plan brings any state back."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from altcraft_contract.endpoints.writes import model

B1, B2, B3 = "b" * 23 + "1", "b" * 23 + "2", "b" * 23 + "3"


def test_absent_numbers_equal_zero_and_floats_compare_to_1e_9() -> None:
    assert model.same_value(None, 0) and model.same_value(0.0, None)
    assert model.same_value(0.1 + 0.2, 0.3)
    assert not model.same_value(1.0, 1.001)
    assert not model.same_value(True, 1) and not model.same_value(None, False)
    assert model.same_value(True, True)


def test_each_write_moves_the_model_as_the_contract_says() -> None:
    start: model.State = {B1: {"Like": 2, "Flag": True}}
    edited = model.apply(start, "edit", B1, {"Like": 5})
    assert edited[B1] == {"Like": 5, "Flag": True} and start[B1]["Like"] == 2  # not changed in place
    strengthened = model.apply(edited, "strengthen", B1, {"Like": -1.5, "Donate": 3})
    assert strengthened[B1] == {"Like": 3.5, "Flag": True, "Donate": 3}  # a missing property starts at 0
    created = model.apply(start, "strengthen", B2, {"Like": 4})
    assert created[B2] == {"Like": 4}
    assert B1 not in model.apply(start, "detach", B1, {})
    assert model.apply(start, "detach", B3, {}) == start  # a missing link: nothing changes
    assert model.apply(start, "attach", B2, {"Like": 1})[B2] == {"Like": 1}


def test_state_diffs_name_missing_unexpected_and_changed_links() -> None:
    expected: model.State = {B1: {"Like": 2}, B2: {"Like": 1}}
    got: model.State = {B1: {"Like": 3}, B3: {}}
    diffs = model.state_diffs(expected, got)
    assert diffs[B2] == "the link is missing"
    assert diffs[B3].startswith("a link that should not exist")
    assert "Like expected 2, got 3" in diffs[B1]
    assert model.state_diffs({B1: {"Like": 0}}, {B1: {}}) == {}  # a 0 dropped from the listing is free


def test_links_are_read_from_relations_get_whatever_their_order() -> None:
    links = [{"profile_id_a": "a", "profile_id_b": B2, "props": {"Like": {"value": 1}}},
             {"profile_id_a": "a", "profile_id_b": B1.upper(), "props": {"Flag": {"value": True}}},
             {"profile_id_a": "a", "profile_id_b": B3, "props": {"Bad": {"value": "x"}}}]
    state, problems = model.state_from_links(links, "a")
    assert state[B1] == {"Flag": True} and state[B2] == {"Like": 1}
    assert problems and "Bad" in problems[0]


values = st.one_of(st.integers(-100, 100), st.floats(-1e6, 1e6, allow_nan=False), st.booleans())
states = st.dictionaries(st.sampled_from([B1, B2, B3]),
                         st.dictionaries(st.sampled_from(["Like", "Donate", "Flag"]), values, max_size=3), max_size=3)


@given(states, states)
def test_the_restore_plan_brings_any_state_back(initial: model.State, current: model.State) -> None:
    state = current
    for op, b, values in model.restore_plan(initial, current):
        state = model.apply(state, op, b, values)
    assert model.state_diffs(initial, state) == {}  # a property the run added goes back to 0 (= absent)
    assert model.restore_plan(initial, initial) == []
