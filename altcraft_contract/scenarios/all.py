"""Every scenario, from an explicit list of modules: the shared ones (get_counter's, reused for
every other read endpoint), then each registered endpoint folder's own (``scenarios.py``)."""

from __future__ import annotations

from dataclasses import replace
from types import ModuleType

from .. import endpoints
from ..run.scenario import Scenario
from . import classes, generated, identity, negative, positive, text, xml

# The input model's classes last (values, texts, identities), so they run after the probes.
SHARED: tuple[ModuleType, ...] = (generated, negative, positive, xml, classes, text, identity)


def _joined(modules: list[ModuleType]) -> list[Scenario]:
    seen: set[str] = set()
    out: list[Scenario] = []
    for module in modules:
        for s in module.SCENARIOS:
            if s.id in seen:
                raise ValueError(f"duplicate scenario {s.id!r}")
            seen.add(s.id)
            out.append(s)
    return out


def all_scenarios() -> list[Scenario]:
    """get_counter's scenarios, then each shared one again for every other endpoint (the same
    matching, R, T, X, P and I probes, sent to that endpoint's path), then the consistency ones."""
    own = _joined([*SHARED, *endpoints.modules("scenarios")])
    reused = [replace(s, endpoint=e) for e in endpoints.READS if e != endpoints.GET_COUNTER.name
              for s in own if s.shared]
    return [s for s in own if s.shared] + reused + [s for s in own if not s.shared]


def for_endpoints(scenarios: list[Scenario], names: set[str]) -> list[Scenario]:
    """The scenarios of the endpoints named (``--endpoint``); one that is not shared needs every
    endpoint it uses (the consistency ones both reads, the writes both reads and their writes)."""
    return [s for s in scenarios if (s.endpoint in names if s.shared else names >= set(s.uses or endpoints.READS))]
