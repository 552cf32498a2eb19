"""C: get_counter checked against relations/get, for every profile and mode the target names, with
JSON and with XML answers. Each pair of reads is sent at once; a refused or wrong-profile answer is
the matching clause's failure (M2, G3), so C1-C4 judge only two successes about one profile."""

from __future__ import annotations

from ...contract.calls import Call, Expect, Format
from ...run.session import Session
from ...scenarios.positive import by_mode
from ...scenarios.registry import ScenarioList
from .. import GET
from . import consistency

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
scenario = SCENARIOS.scenario

CHECKS = (consistency.link_count_agrees, consistency.property_names_agree, consistency.sums_and_counts_agree,
          consistency.tops_name_the_largest_links)
VERSIONED = (consistency.link_count_agrees, consistency.sums_and_counts_agree)


def both_reads(s: Session, answer: Format) -> None:
    calls: list[Call] = [by_mode(s, p, mode).variant(answer_format=answer if answer == "xml" else None)
                         for p in s.target.profiles for mode in p.modes()]
    pids = [p.profile_id for p in s.target.profiles for _ in p.modes()]
    pairs = [(c, Expect.success("M2", pid)) for c, pid in zip(calls, pids, strict=True)]
    pairs += [(c.variant(path=GET.path), Expect.success("M2", pid)) for c, pid in zip(calls, pids, strict=True)]
    answers = s.expect_all(pairs)
    half = len(calls)
    for counter, listing in zip(answers[:half], answers[half:], strict=True):
        for check in CHECKS:
            bound = consistency.for_version(check, s.target.api_version) if check in VERSIONED else check
            s.compare(bound, [counter, listing])


@scenario("C1", "get_counter agrees with relations/get (C1-C4) on each profile by each mode, JSON answers",
          shared=False, uses=("get_counter", "get"))
def consistent_json(s: Session) -> None:
    both_reads(s, "json")


@scenario("C1", "get_counter agrees with relations/get (C1-C4) on each profile by each mode, XML answers",
          shared=False, uses=("get_counter", "get"))
def consistent_xml(s: Session) -> None:
    both_reads(s, "xml")
