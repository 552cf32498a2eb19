"""XML scenarios: XML bodies (T2), XML answers (T4), field order (X4), entities (X6), parity (P1)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from ..checks.failures import Failure
from ..checks.parity import json_and_xml_agree
from ..checks.xml import X6_MARKER, x6_time_bound
from ..contract.calls import Auth, Call, Expect
from ..contract.target import Target, base_fields
from ..run.scenario import Scenario
from ..run.session import Session
from ..wire.problems import NotRun
from ..wire.record import ExchangeRecord
from . import strategies
from .positive import answers_in, by_id
from .registry import ScenarioList
from .strategies import format_combinations

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
add, scenario = SCENARIOS.add, SCENARIOS.scenario


@scenario("T2", "an XML body finds each profile")
def xml_body(s: Session) -> None:
    for p in s.target.profiles:
        s.expect(by_id(s, p).variant(body_format="xml"), Expect.success("T2", p.profile_id))


@scenario("T4", "format=xml in the query or in the body answers XML")
def format_xml(s: Session) -> None:
    answers_in(s, "xml", s.target.profiles)


@scenario("X4", "XML request fields in reverse order")
def xml_any_order(s: Session) -> None:
    for p in s.target.profiles:
        call = by_id(s, p)
        reversed_call = Call(fields=tuple(reversed(call.fields)), body_format="xml", answer_format="xml",
                             token_pos=len(call.fields))
        s.expect(reversed_call, Expect.success("X4", p.profile_id))


def _probe_files(workdir: str | None, pid: str) -> tuple[Path, Path]:
    """The files the external-entity probes name, in the run's private directory (removed with it)."""
    if workdir is None:
        raise NotRun("the run has no private directory for the X6 probe files")
    where = Path(workdir)
    marker, pid_file = where / "x6-marker.txt", where / "x6-pid.txt"
    for path, text in ((marker, X6_MARKER), (pid_file, pid)):  # read only by a target here that resolves them
        if not path.is_file():  # written whole, then renamed: concurrent probes never read half a file
            fd, tmp = tempfile.mkstemp(dir=where)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
            os.replace(tmp, path)
    return marker, pid_file


def _entity_bodies(target: Target, workdir: str | None = None) -> list[tuple[str, bytes]]:
    """The X6 probes. Each one, expanded, would name something the target holds, so an expanding
    parser shows itself by *succeeding* (or by echoing the marker), not only by being slow."""
    pid = target.profiles[0].profile_id
    marker, pid_file = _probe_files(workdir, pid)
    head = b'<?xml version="1.0"?><!DOCTYPE xml ['
    rel = b"<xml><rel_id>" + str(target.rel_id).encode() + b"</rel_id>"
    return [
        (X6_TITLES[0], head + b'<!ENTITY pid "' + pid.encode() + b'">]>' + rel
         + b"<matching>profile_id</matching><profile_id>&pid;</profile_id></xml>"),
        (X6_TITLES[1], head + b'<!ENTITY f SYSTEM "file://' + str(marker).encode() + b'">]>' + rel
         + b"<matching>email</matching><email>&f;</email></xml>"),
        (X6_TITLES[2], head + b'<!ENTITY f SYSTEM "file://' + str(pid_file).encode() + b'">]>' + rel
         + b"<matching>profile_id</matching><profile_id>&f;</profile_id></xml>"),
        (X6_TITLES[3], head + b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
         b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>' + rel + b"<matching>email</matching><email>&c;</email></xml>"),
    ]


X6_TITLES = ("an internal entity", "an external entity naming a local file",
             "an external entity naming a local file that holds a profile id", "a bounded entity expansion")

for _i, _title in enumerate(X6_TITLES):
    def _run(s: Session, i: int = _i, title: str = _title) -> None:
        # A plain request first: the time bound is relative to this target's own round trip.
        plain = s.expect(by_id(s, s.target.profiles[0]).variant(answer_format="xml"),
                         Expect.success("X6", s.target.profiles[0].profile_id))
        raw = _entity_bodies(s.target, s.workdir)[i][1]
        call = Call(fields=(), raw_body=raw, body_format="xml", auth=Auth.HEADER, answer_format="xml")
        probe = s.expect(call, Expect.error("X6", None, reason=f"{title}: refused, or answered without expanding it"))
        bound = x6_time_bound(plain.elapsed)
        if probe.elapsed > bound:
            s.enforce([Failure("X6", "xml_entities_not_resolved", "An entity document took too long",
                               "entity expansion is not bounded", received=f"{probe.elapsed:.2f} s",
                               expected=f"< {bound:.2f} s", exchanges=(ExchangeRecord.of(probe),))])
    add(Scenario("X6", _title, _run))


def parity(s: Session, call: Call) -> None:
    """Send the four forms of ``call`` and compare them (each answer is checked on its own too)."""
    answers = s.expect_all([(c, Expect.anything("P1")) for c in format_combinations(call)])
    s.compare(json_and_xml_agree, answers)


@scenario("P1", "JSON and XML agree on each profile, on errors and on unknown identities")
def parity_fixed(s: Session) -> None:
    calls: list[Call] = [by_id(s, p) for p in s.target.profiles]
    base = base_fields(s.target)
    calls += [
        Call.of(base, auth=Auth.NONE),
        Call.of({k: v for k, v in base.items() if k != "rel_id"}),
        Call.of({**base, "profile_id": "0" * 24}),
    ]
    for call in calls:
        parity(s, call)


@scenario("P1", "generated requests: JSON and XML agree")
def parity_generated(s: Session) -> None:
    def body(call: Any) -> None:
        parity(s, call)
    s.for_all(strategies.parity_calls(s.target), body, salt=5)
