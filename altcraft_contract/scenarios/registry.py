"""The scenario registry: ``@scenario("R4", "rel_id missing")`` functions that drive a Session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from .. import endpoints
from ..session import Session
from ..target import Target

Needs = Callable[[Target], str | None]


@dataclass(frozen=True)
class Scenario:
    clause: str
    title: str
    run: Callable[[Session], None]
    needs: Needs | None = None
    endpoint: str = endpoints.GET_COUNTER.name  # the endpoint its calls go to (Session.send routes them)
    shared: bool = True  # reused for every read endpoint (False: its calls name their endpoints themselves)
    uses: tuple[str, ...] = ()  # not shared: the endpoints its calls name (it runs when all are selected)
    exclusive: bool = False  # runs after the others and alone (the writes share one [writes] scope)

    @property
    def id(self) -> str:
        if self.endpoint == endpoints.GET_COUNTER.name:
            return f"{self.clause}: {self.title}"  # get_counter's ids as before: baselines compare by id
        return f"relations/{self.endpoint} › {self.clause}: {self.title}"

    def missing(self, target: Target) -> str | None:
        """Why this scenario cannot run on ``target``, or None when it can."""
        return self.needs(target) if self.needs else None


SCENARIOS: dict[str, Scenario] = {}


def scenario(clause: str, title: str, needs: Needs | None = None, *, shared: bool = True,
             uses: tuple[str, ...] = ()) -> Callable[[Callable[[Session], None]], Callable[[Session], None]]:
    def deco(fn: Callable[[Session], None]) -> Callable[[Session], None]:
        add(Scenario(clause, title, fn, needs, shared=shared, uses=uses))
        return fn
    return deco


def add(s: Scenario) -> None:
    if s.id in SCENARIOS:
        raise ValueError(f"duplicate scenario {s.id!r}")
    SCENARIOS[s.id] = s


def needs_profiles(*attrs: str) -> Needs:
    def check(target: Target) -> str | None:
        if target.profiles_with(*attrs):
            return None
        return f"the target file names no profile with {' and '.join(attrs)}"
    return check


def needs_data(key: str) -> Needs:
    def check(target: Target) -> str | None:
        return None if getattr(target, key) is not None else f"the target file does not set [data] {key}"
    return check


def all_scenarios() -> list[Scenario]:
    """get_counter's scenarios, then each shared one again for every other endpoint (the same
    matching, R, T, X, P and I probes, sent to that endpoint's path), then the consistency ones."""
    # They register themselves on import; the input model's classes last, so they run after the probes.
    from . import generated, negative, positive, xml  # noqa: F401, I001
    from . import classes  # noqa: F401

    endpoints.modules("scenarios")  # each endpoint folder's own scenarios (not shared)

    own = list(SCENARIOS.values())
    reused = [replace(s, endpoint=e) for e in endpoints.READS if e != endpoints.GET_COUNTER.name
              for s in own if s.shared]
    return [s for s in own if s.shared] + reused + [s for s in own if not s.shared]


def for_endpoints(scenarios: list[Scenario], names: set[str]) -> list[Scenario]:
    """The scenarios of the endpoints named (``--endpoint``); one that is not shared needs every
    endpoint it uses (the consistency ones both reads, the writes both reads and their writes)."""
    return [s for s in scenarios if (s.endpoint in names if s.shared else names >= set(s.uses or endpoints.READS))]
