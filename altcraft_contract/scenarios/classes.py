"""Scenarios driven by the input model: every class of every field, every token class, XML syntax,
and every identifier in every mode, sent deterministically in every profile (``quick`` included).

Each scenario sends all its classes and then reports every failure, so one failing class does not
hide the others. ``default`` and ``thorough`` send each class a second time with the token in the
header and an XML answer; ``generated_classes`` lets Hypothesis combine classes with modes, formats,
key order and token placement on top.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import note
from hypothesis import strategies as st

from ..contract import inputs, inputs_wire
from ..contract.calls import Auth, Call, Expect, Format
from ..contract.target import Target
from ..run import coverage
from ..run.scenario import Scenario
from ..run.session import Session
from . import strategies
from .registry import ScenarioList

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
add, scenario = SCENARIOS.add, SCENARIOS.scenario


def transport_clause(call: Call, expect: Expect) -> Expect:
    """A verdict that finds a profile is the transport variation's when the call has one (as for the
    generated valid calls: T3 for a header token, T2 or X4 for an XML body, T4 for a format)."""
    if expect.outcome not in ("success", "found_or_none"):
        return expect
    if call.auth is Auth.HEADER:
        return replace(expect, clause="T3")
    if expect.outcome != "success":  # "the profile or nothing" stays the id's (R5, M3) in any format
        return expect
    if call.body_format == "xml" and call.xml_syntax is None:
        return replace(expect, clause="T2" if strategies.in_canonical_order(call) else "X4")
    if call.answer_format is not None:
        return replace(expect, clause="T4")
    return expect


def _forms(s: Session, call: Call) -> list[Call]:
    """The forms a class is sent in: as built, and beyond ``quick`` with a header token and XML answer."""
    if s.hypothesis_profile == "quick" or call.auth is not Auth.BODY:
        return [call]
    return [call, call.variant(auth=Auth.HEADER, answer_format="xml")]


Row = tuple[str, str, Format, Call, Expect]  # field, class, format, the call, its verdict


def _send_all(s: Session, rows: list[Row]) -> None:
    """Send every (field, class, format, call, expect) row; enforce all failures at the end."""
    pairs: list[tuple[Call, Expect]] = []
    sends: list[tuple[int, int]] = []  # per row: its pairs, as a slice of ``pairs``
    for i, (_, _, _, call, expect) in enumerate(rows):
        start = len(pairs)
        if not (i + 1 < len(rows) and rows[i + 1][3] is call):  # a rider: the next row sends the same request
            pairs += [(form, transport_clause(form, expect)) for form in _forms(s, call)]
        sends.append((start, len(pairs)))
    done = s.checked_all(pairs)  # independent: at once
    # Marked once answered, with what the answers showed: a class the run did not send stays "not sent".
    for i, (field, cls, fmt, _, expect) in enumerate(rows):
        lo, hi = sends[i] if sends[i][0] != sends[i][1] else sends[i + 1]
        failed = sorted({f.clause for _, failures in done[lo:hi] for f in failures})
        coverage.mark(s, field, cls, fmt, inputs.describe(expect), f"failed: {', '.join(failed)}" if failed else "held")
    s.enforce([f for _, failures in done for f in failures])


# Fields whose free classes (R6) ride in another field's requests: both are custom's identifiers,
# so one request carries the class in both (the budget is one request per field and class).
RIDES_WITH = {"field_value": "field_name"}


def _free_in_both(target: Target, name: str, partner: str, cls: inputs.ValueClass, fmt: Format) -> bool:
    ctx, other = inputs.context(target, name), inputs.context(target, partner)
    if isinstance(ctx, str) or isinstance(other, str) or cls not in inputs.classes_of(partner):
        return False
    return inputs.verdict(ctx, cls, fmt).outcome == "any" and inputs.verdict(other, cls, fmt).outcome == "any"


def field_rows(target: Target, name: str, fmt: Format) -> list[Row]:
    """A call and its verdict for every class of field ``name`` that ``fmt`` can carry."""
    ctx = inputs.context(target, name)
    if isinstance(ctx, str):
        return []
    riders = [f for f, host in RIDES_WITH.items() if host == name]
    rows: list[Row] = []
    for cls in inputs.classes_of(name):
        if fmt == "xml" and not cls.xml:
            continue
        if name in RIDES_WITH and _free_in_both(target, name, RIDES_WITH[name], cls, fmt):
            continue  # sent by the host field's request
        value = cls.make(ctx.real)
        expect = inputs.verdict(ctx, cls, fmt)
        with_riders = [r for r in riders if _free_in_both(target, r, name, cls, fmt)]
        call = Call.of(ctx.request(value, **dict.fromkeys(with_riders, value)), body_format=fmt)
        rows += [(rider, cls.name, fmt, call, expect) for rider in with_riders]
        rows.append((name, cls.name, fmt, call, expect))
    return rows


def _needs_context(name: str) -> Any:
    def check(target: Target) -> str | None:
        ctx = inputs.context(target, name)
        return ctx if isinstance(ctx, str) else None
    return check


for _name in inputs.fields():
    for _fmt in ("json", "xml"):
        def _run(s: Session, name: str = _name, fmt: Format = _fmt) -> None:
            _send_all(s, field_rows(s.target, name, fmt))
        add(Scenario("R4", f"every input class of {_name} ({_fmt.upper()})", _run, _needs_context(_name)))


def token_rows(target: Target, fmt: Format) -> list[Row]:
    p = target.profiles[0]
    fields = {"rel_id": target.rel_id, "matching": "profile_id", "profile_id": p.profile_id}
    return [("token", tc.name, fmt, Call.of(fields, auth=tc.auth, body_format=fmt), inputs_wire.token_verdict(tc))
            for tc in inputs_wire.TOKEN_CLASSES if fmt == "json" or not tc.not_in_xml]


@scenario("R3", "every token class (JSON)")
def token_classes_json(s: Session) -> None:
    _send_all(s, token_rows(s.target, "json"))


@scenario("R3", "every token class (XML)")
def token_classes_xml(s: Session) -> None:
    _send_all(s, token_rows(s.target, "xml"))


@scenario("X1", "XML a parser reads the same: a declaration, a comment, CDATA, whitespace")
def xml_syntax(s: Session) -> None:
    _send_all(s, [("XML body", n, "xml", *inputs_wire.xml_syntax_call(s.target, n)) for n in inputs_wire.XML_SYNTAX])


@scenario("M1", "every identifier the target names, in every mode that takes it")
def identifiers_by_mode(s: Session) -> None:
    _send_all(s, [(f"identifiers of {p.profile_id}", r.name, "json", Call.of(r.fields), r.expect)
                  for p in s.target.profiles for r in inputs_wire.identifier_rows(s.target, p)])


@st.composite
def classed_calls(draw: st.DrawFn, target: Target) -> tuple[Call, Expect]:
    """A class of some field, with a drawn format, key order, token place and answer format."""
    names = [n for n in inputs.fields() if not isinstance(inputs.context(target, n), str)]
    name = draw(st.sampled_from(names))
    fmt: Format = draw(st.sampled_from(["json", "xml"]))
    rows = field_rows(target, name, fmt)
    _, cls, _, call, expect = draw(st.sampled_from(rows))
    # JSON key order varies freely; XML keeps the schema's order, its other orders being X4's probes.
    order = draw(st.permutations(list(call.fields))) if fmt == "json" else list(call.fields)
    call = call.variant(fields=tuple(order), token_pos=draw(st.integers(0, len(order))),
                        # The header token only where the class finds a profile: T3 is about those.
                        auth=draw(st.sampled_from([Auth.BODY, Auth.HEADER])) if expect.outcome in
                        ("success", "found_or_none") else Auth.BODY,
                        answer_format=draw(st.sampled_from([None, "json", "xml"])))
    note(f"class {cls!r} of {name} in {fmt}: {inputs.describe(expect)}")
    return call, transport_clause(call, expect)


@scenario("R6", "generated input classes with modes, formats, key order and token placement")
def generated_classes(s: Session) -> None:
    def body(example: Any) -> None:
        s.expect(example[0], example[1])
    s.for_all(classed_calls(s.target), body, salt=6)
