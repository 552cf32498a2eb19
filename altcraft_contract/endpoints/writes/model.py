"""What the links under ``[writes]`` should be: the state read before the first write, and each
successful write applied to it as the contract says (W3-W6). Pure data, no I/O.

What the contract leaves free stays free here: a numeric property that is absent equals one with
value 0 (whether a 0 stays listed is free), numbers are equal to 1e-9 relative, and the order of
links and properties carries no meaning. Values read
are exact (``Decimal`` from the answer's text), predictions are exact sums (``numbers.Exact``) of
those and of the weights as written: no double arithmetic anywhere (``contract/numbers.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from ...contract import numbers
from ...contract.numbers import Exact

Value = int | float | bool | Decimal | Exact
Values = dict[str, Value]
State = dict[str, Values]  # profile_id_b -> the values of its link; a B profile without a link is absent
MAX_PROBLEMS = 10


is_number = numbers.is_number


def shown(v: Any) -> str:
    """A value as a failure message shows it (exact numbers as their digits)."""
    x = numbers.exact(v)
    return numbers.text(x) if x is not None else repr(v)


def same_value(expected: Value | None, got: Value | None) -> bool:
    """Equal as the contract compares: absent == 0 for numbers, 1e-9 relative, booleans exactly and
    never equal to a number (true is not 1)."""
    if expected is None and got is None:
        return True
    if isinstance(expected, bool) or isinstance(got, bool):
        return numbers.same(expected, got)
    return numbers.close(0 if expected is None else expected, 0 if got is None else got)


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
                if isinstance(v, (bool, int, float, Decimal)) and (isinstance(v, bool) or is_number(v)):
                    values[str(name)] = v
                else:
                    problems.append(f"{link['profile_id_b']}.{name} has no number or boolean value: {prop!r}"[:200])
        state[link["profile_id_b"].lower()] = values
    if len(problems) > MAX_PROBLEMS:  # a hostile listing: a few examples and a count, not a failure each
        problems = [*problems[:MAX_PROBLEMS], f"... and {len(problems) - MAX_PROBLEMS} more"]
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
                    f"{n} expected {shown(expected[b].get(n))}, got {shown(got[b].get(n))}" for n in names)
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
            link[name] = Exact.of(old if is_number(old) else 0) + w  # exactly: the start and every weight
    else:
        raise ValueError(f"unknown write {op!r}")
    return new


def _exact(a: Value | None, b: Value | None) -> bool:
    """Equal as stored: the restore puts back exactly what was read (no tolerance; 5 == 5.0)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    x, y = numbers.exact(a), numbers.exact(b)
    return (x == y) if x is not None and y is not None else a == b


def _sendable(v: Value) -> Value:
    """A value as a write carries it: a prediction as its exact digits."""
    return numbers.to_plain(v.value) if isinstance(v, Exact) else v


def restore_plan(initial: State, current: State, removable: Iterable[str] = (), *,
                 by: str = "edit") -> list[tuple[str, str, Values]]:
    """The writes that bring ``current`` back to exactly ``initial``: detach what the run created,
    edit back what it changed, recreate a link it removed with its values. A link that gained a
    property can only lose it by being removed and created again: done for the ``removable``
    links (those that carry only properties the suite may write); others get 0 for it. ``by``
    "strengthen" moves numbers back by their difference instead: the second try, for a server
    whose edit does not replace (the restore must work on the faulty servers the suite finds);
    "recreate" removes a removable link that still differs and creates it again with its values:
    the last try, for a value a faulty server moved further than a strengthen may carry back."""
    plan: list[tuple[str, str, Values]] = []
    removable = set(removable)
    for b in sorted({*initial, *current}):
        if by == "recreate" and b in initial and b in current and b in removable and \
                any(not _exact(initial[b].get(n), current[b].get(n)) for n in {*initial[b], *current[b]}):
            plan += [("detach", b, {}), ("edit", b, {n: _sendable(v) for n, v in initial[b].items()})]
        elif b not in initial:
            plan.append(("detach", b, {}))
        elif b not in current:
            nums = {n: _sendable(v) for n, v in initial[b].items() if is_number(v)}
            if by == "strengthen" and nums:  # strengthen creates the link too (W4), from 0
                plan.append(("strengthen", b, nums))
                others = {n: v for n, v in initial[b].items() if n not in nums}
                if others:
                    plan.append(("edit", b, others))
            else:
                plan.append(("edit", b, {n: _sendable(v) for n, v in initial[b].items()}))
        elif set(current[b]) - set(initial[b]) and b in removable:
            plan += [("detach", b, {}), ("edit", b, {n: _sendable(v) for n, v in initial[b].items()})]
        else:
            names = sorted(n for n in {*initial[b], *current[b]} if not _exact(initial[b].get(n), current[b].get(n)))
            if not names:
                continue
            back: Values = {n: _sendable(initial[b].get(n, 0)) for n in names}
            moves: Values = {n: numbers.to_plain(numbers.Exact.of(back[n]).value - numbers.Exact.of(current[b].get(n, 0)).value)
                             for n in names if is_number(back[n]) and is_number(current[b].get(n, 0))}
            if by == "strengthen" and moves:
                plan.append(("strengthen", b, moves))
                back = {n: v for n, v in back.items() if n not in moves}
            if back:
                plan.append(("edit", b, back))
    return plan


def describe(state: State) -> str:
    """A state as a person restoring it by hand reads it."""
    if not state:
        return "no links"
    return "; ".join(f"{b}: {', '.join(f'{k}={shown(v)}' for k, v in sorted(vals.items())) or 'no properties'}"
                     for b, vals in sorted(state.items()))
