"""What the links under ``[writes]`` should be: the state read before the first write, and each
successful write applied to it as the contract says (W3-W6). Pure data, no I/O.

What the contract leaves free stays free here: a numeric property that is absent equals one with
value 0 (whether a 0 stays listed is free), numbers are equal to 1e-9 relative (exact decimals on
the server, doubles here), and the order of links and properties carries no meaning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

Value = int | float | bool
Values = dict[str, Value]
State = dict[str, Values]  # profile_id_b -> the values of its link; a B profile without a link is absent


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same_value(expected: Value | None, got: Value | None) -> bool:
    """Equal as the contract compares: absent == 0 for numbers, 1e-9 relative, booleans exactly."""
    if expected is None and got is None:
        return True
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got or (expected == got and type(expected) is type(got))
    e = 0 if expected is None else expected
    g = 0 if got is None else got
    if not (is_number(e) and is_number(g)):
        return False
    return e == g or math.isclose(float(e), float(g), rel_tol=1e-9, abs_tol=1e-12)


def value_diffs(expected: Values, got: Values) -> list[str]:
    """The property names whose values differ."""
    return sorted(n for n in {*expected, *got} if not same_value(expected.get(n), got.get(n)))


def state_from_links(links: Iterable[Any], profile_a: str) -> tuple[State, list[str]]:
    """The state relations/get's ``data`` shows for ``profile_a``, and what could not be read."""
    state: State = {}
    problems: list[str] = []
    for link in links:
        if not isinstance(link, Mapping) or not isinstance(link.get("profile_id_b"), str):
            problems.append(f"a link that names no profile_id_b: {link!r}"[:200])
            continue
        if link.get("profile_id_a") not in (None, profile_a):
            continue  # G3 reports a link of another A profile; it is not ours to compare
        props = link.get("props")
        values: Values = {}
        if isinstance(props, Mapping):
            for name, prop in props.items():
                v = prop.get("value") if isinstance(prop, Mapping) else None
                if isinstance(v, (int, float, bool)):
                    values[str(name)] = v
                else:
                    problems.append(f"{link['profile_id_b']}.{name} has no number or boolean value: {prop!r}"[:200])
        state[link["profile_id_b"].lower()] = values
    return state, problems


def state_diffs(expected: State, got: State) -> dict[str, str]:
    """profile_id_b -> how its link differs from the prediction (missing, unexpected, values)."""
    out: dict[str, str] = {}
    for b in sorted({*expected, *got}):
        if b not in got:
            out[b] = "the link is missing"
        elif b not in expected:
            out[b] = "a link that should not exist is listed"
        else:
            names = value_diffs(expected[b], got[b])
            if names:
                out[b] = "values differ: " + ", ".join(
                    f"{n} expected {expected[b].get(n)!r}, got {got[b].get(n)!r}" for n in names)
    return out


def apply(state: State, op: str, b: str, weights: Mapping[str, Value]) -> State:
    """The state after a successful write ``op`` (edit, strengthen, detach, attach) to link ``b``."""
    new = {k: dict(v) for k, v in state.items()}
    if op == "detach":
        new.pop(b, None)
    elif op in ("edit", "attach"):
        new.setdefault(b, {}).update(weights)
    elif op == "strengthen":
        link = new.setdefault(b, {})
        for name, w in weights.items():
            old = link.get(name, 0)
            link[name] = (old if is_number(old) else 0) + w
    else:
        raise ValueError(f"unknown write {op!r}")
    return new


def restore_plan(initial: State, current: State) -> list[tuple[str, str, Values]]:
    """The writes that bring ``current`` back to ``initial``: detach what the run created, edit back
    what it changed (a property the run added goes back to 0, which counts as absent), and recreate
    a link it removed with its values."""
    plan: list[tuple[str, str, Values]] = []
    for b in sorted({*initial, *current}):
        if b not in initial:
            plan.append(("detach", b, {}))
        elif b not in current:
            plan.append(("edit", b, dict(initial[b])))
        else:
            names = value_diffs(initial[b], current[b])
            if names:
                plan.append(("edit", b, {n: initial[b].get(n, 0) for n in names}))
    return plan


def describe(state: State) -> str:
    """A state as a person restoring it by hand reads it."""
    if not state:
        return "no links"
    return "; ".join(f"{b}: {', '.join(f'{k}={v!r}' for k, v in sorted(vals.items())) or 'no properties'}"
                     for b, vals in sorted(state.items()))
