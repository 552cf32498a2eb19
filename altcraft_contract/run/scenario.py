"""A scenario: a named function that drives a Session, under one clause. The type the scenario
modules build and the runner runs, kept in the run layer so that neither imports the other."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import endpoints
from ..contract.target import Target
from .session import Session

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
