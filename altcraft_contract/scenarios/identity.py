"""Scenarios of the input model's identity dimension (``contract/inputs_identity.py``): near-misses
of every identifier the target file names, in every mode that takes it; none may find the profile
it was derived from (R5)."""

from __future__ import annotations

from ..contract import inputs_identity
from ..contract.calls import Call
from ..contract.target import Target
from ..run.session import Session
from .registry import ScenarioList
from .text import Row, send_rows

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
scenario = SCENARIOS.scenario


def near_miss_rows(target: Target) -> list[Row]:
    return [(n.field, n.name, "json", Call.of(n.fields), n.expect)
            for n in inputs_identity.near_misses(target) if n.fields is not None and n.expect is not None]


@scenario("R5", "near-misses of every identifier the target names, in every mode: never that profile")
def near_misses(s: Session) -> None:
    send_rows(s, near_miss_rows(s.target))
