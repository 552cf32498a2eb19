"""Declaring scenarios: ``@scenario("R4", "rel_id missing")`` functions that drive a Session.

Each module keeps its own list (``SCENARIOS``, with ``scenario``/``add`` bound to it); ``all.py``
joins the lists of an explicit set of modules, where an id used twice is an error."""

from __future__ import annotations

from collections.abc import Callable

from ..contract.target import Target
from ..run.scenario import Needs, Scenario
from ..run.session import Session

__all__ = ["Needs", "Scenario", "ScenarioList", "needs_data", "needs_profiles"]


class ScenarioList(list[Scenario]):
    """One module's scenarios, in the order it declares them."""

    def scenario(self, clause: str, title: str, needs: Needs | None = None, *, shared: bool = True,
                 uses: tuple[str, ...] = ()) -> Callable[[Callable[[Session], None]], Callable[[Session], None]]:
        def deco(fn: Callable[[Session], None]) -> Callable[[Session], None]:
            self.add(Scenario(clause, title, fn, needs, shared=shared, uses=uses))
            return fn
        return deco

    def add(self, s: Scenario) -> None:
        self.append(s)


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
