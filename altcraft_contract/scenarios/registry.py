"""The scenario registry: ``@scenario("R4", "rel_id missing")`` functions that drive a Session."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..session import Session
from ..target import Target

Needs = Callable[[Target], str | None]


@dataclass(frozen=True)
class Scenario:
    clause: str
    title: str
    run: Callable[[Session], None]
    needs: Needs | None = None

    @property
    def id(self) -> str:
        return f"{self.clause}: {self.title}"

    def missing(self, target: Target) -> str | None:
        """Why this scenario cannot run on ``target``, or None when it can."""
        return self.needs(target) if self.needs else None


SCENARIOS: dict[str, Scenario] = {}


def scenario(clause: str, title: str, needs: Needs | None = None) -> Callable[[Callable[[Session], None]], Callable[[Session], None]]:
    def deco(fn: Callable[[Session], None]) -> Callable[[Session], None]:
        add(Scenario(clause, title, fn, needs))
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
    # They register themselves on import; the input model's classes last, so they run after the probes.
    from . import generated, negative, positive, xml  # noqa: F401, I001
    from . import classes  # noqa: F401

    return list(SCENARIOS.values())
