"""The registry of every check: the shared clauses' modules here, then each registered endpoint
folder's (``endpoints/<name>/checks.py`` and the modules it names), joined in that order; and
running the per-exchange ones on an answer."""

from __future__ import annotations

from types import ModuleType

from .. import endpoints
from ..contract import clauses
from ..contract.target import Target
from ..wire.client import Exchange
from . import envelope, outcome, parity, relational, transport, xml
from .failures import Failure
from .registry import Check, join

SHARED: tuple[ModuleType, ...] = (envelope, outcome, parity, relational, transport, xml)


def _modules() -> list[ModuleType]:
    """The shared modules, then each endpoint folder's checks and the check modules it lists beside them."""
    found = list(SHARED)
    for module in endpoints.modules("checks"):
        found.extend(getattr(module, "ALSO", ()))
        found.append(module)
    return found


REGISTRY: dict[str, Check] = join(m.CHECKS for m in _modules())
# The per-exchange checks in stage order (stable: the modules' order within a stage).
PER_EXCHANGE: tuple[Check, ...] = tuple(sorted((c for c in REGISTRY.values() if c.func is not None), key=lambda c: c.stage))


def per_exchange() -> tuple[Check, ...]:
    return PER_EXCHANGE


def _belongs(c: Check, endpoint: str) -> bool:
    """A check of one endpoint's clause reads only that endpoint's answers (D1-D7 on get_counter's,
    G1-G6 on relations/get's, W1-W2 on the writes'); a check of a shared clause reads every answer."""
    owner = clauses.BY_ID[c.clause].endpoint if c.clause != "*" else None
    return owner is None or owner in (endpoint, endpoints.owner_of(endpoint))


def run_checks(ex: Exchange, target: Target) -> tuple[list[Failure], list[Check]]:
    """Every failure the per-exchange checks find, and the checks that ran and held."""
    failures: list[Failure] = []
    held: list[Check] = []
    stage_failed = -1
    endpoint = endpoints.by_path(ex.call.path).name
    for c in PER_EXCHANGE:
        if stage_failed >= 0 and c.stage > stage_failed:
            break
        if not _belongs(c, endpoint) or not c.applies(ex):
            continue
        assert c.func is not None
        found = [f for f in c.func(ex, target)]
        errors = [f for f in found if f.severity == "error"]
        failures.extend(found)
        if errors:
            stage_failed = c.stage
        else:
            held.append(c)
    return failures, held
