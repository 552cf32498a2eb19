"""The write scenarios: fixed sequences that give every W and S clause a verdict in every profile,
and generated ones (machine.py). Each reads the state first and restores it at its end (S3); all
run one at a time (they share the ``[writes]`` scope), and only with ``[writes]`` and ``--writes``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ...contract.calls import Auth, Expect
from ...contract.target import Target
from ...run.scenario import Scenario
from ...run.session import Session
from ...scenarios.registry import ScenarioList
from ...wire.problems import NotRun
from . import depth
from .choices import detachable, free, numeric, target_of
from .machine import sequences
from .steps import UNKNOWN_PROFILE_B, UNKNOWN_REL_ID, Writer, writing

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
add = SCENARIOS.add

USES = ("get_counter", "get")


def not_allowed(target: Target) -> str | None:
    """Why the writes do not run on ``target``, or None when they may."""
    if target.writes is None:
        return "writes not allowed: the target file has no [writes] table (see targets/example.toml)"
    if not target.allow_writes:
        return "writes not allowed: pass --writes to let the suite write (and restore) under [writes]"
    return None


def _write_scenario(clause: str, title: str, uses: tuple[str, ...], needs: Callable[[Target], str | None] | None = None
                    ) -> Callable[[Callable[[Writer], None]], Callable[[Writer], None]]:
    def deco(fn: Callable[[Writer], None]) -> Callable[[Writer], None]:
        def run(s: Session) -> None:
            with writing(s) as w:
                if w.plan is not None:
                    w.plan.append(f"{clause}: {title}")
                fn(w)
            if w.plan is not None:
                with s._lock:
                    s.planned.append(w.plan)
                raise NotRun("dry run: the planned writes are printed at the end; none was sent")

        def missing(target: Target) -> str | None:
            return not_allowed(target) or (needs(target) if needs else None)
        add(Scenario(clause, title, run, missing, shared=False, uses=(*USES, *uses), exclusive=True))
        return fn
    return deco


# In this order: detach first, so a server whose detach does not remove is named (W5) before the
# restore it breaks stops the writes; the generated sequences last.
@_write_scenario("W5", "detach removes the link from both reads; a second detach changes nothing", ("detach", "edit"))
def detaches(w: Writer) -> None:
    p1 = w.scope.properties[0]
    b = detachable(w)
    if b is None:
        raise NotRun("no B profile in [writes] profiles_b can be removed and put back: name one without a link, "
                     "or one whose link carries only the listed properties")
    if b not in w.model:
        w.write("edit", b, {p1: 6}, "W3")
    w.write("detach", b, None, "W5")
    # Detaching a link that is not there: an error or a success (free), never a change.
    w.write("detach", b, None, "W5", expect=Expect.anything("W5", "detach of a missing link: either answer"),
            fmt="xml")


@_write_scenario("W3", "edit replaces values and creates a link; the same edit twice is as once (W3, W8)", ("edit",))
def edits(w: Writer) -> None:
    b, p1, p2 = target_of(w)
    v = numeric(w, b, p1) + 7
    w.write("edit", b, {p1: v}, "W3")
    w.write("edit", b, {p1: v}, "W8")  # the repeat: a correct server is where it was
    w.write("edit", b, {p1: v + Decimal("0.25"), p2: 3}, "W3", fmt="xml")
    new = free(w)
    if new is not None:
        q1, q2 = w.scope.properties[0], w.scope.properties[-1]
        w.write("edit", new, {q1: 12, q2: 1.5}, "W3")


@_write_scenario("W4", "strengthen adds, a negative weight lowers, a missing property starts at 0 (W4, W8)",
                 ("strengthen",))
def strengthens(w: Writer) -> None:
    b, p1, _ = target_of(w)
    w.write("strengthen", b, {p1: 2.5}, "W4")
    # Back where it was (W8's d then -d), the token in the Authorization header this time (T3).
    w.write("strengthen", b, {p1: -2.5}, "W4", expect=Expect.success("T3", None), auth=Auth.HEADER)
    w.write("strengthen", b, {p1: -4}, "W4")
    new = free(w)
    if new is not None:
        q1, q2 = w.scope.properties[0], w.scope.properties[-1]
        w.write("strengthen", new, {q1: 5}, "W4")  # a new link: its property from 0
        if q2 != q1:
            w.write("strengthen", new, {q2: -2}, "W4")  # a property the link lacks: from 0 too
        w.write("strengthen", new, {q1: 3}, "W4", fmt="xml")


@_write_scenario("S2", "invalid writes are refused and change nothing (S2, W7)", ("edit", "strengthen"))
def invalid_writes(w: Writer) -> None:
    b, p1, p2 = target_of(w)
    refused = Expect.error("S2", forbidden={401, 402, 403}, reason="a write that names nothing that exists")
    unknown_rel = w.s.target.unknown_rel_id or UNKNOWN_REL_ID
    w.write("edit", b, {p1: 9}, "S2", expect=refused, rel_id=unknown_rel, predict=False)
    w.write("edit", UNKNOWN_PROFILE_B, {p1: 9}, "S2", expect=refused, predict=False)
    w.write("strengthen", None, {p1: 9}, "S2", expect=refused, predict=False)
    # One weight that is no number or boolean: the request is incorrect (R4), and nothing of it
    # may stay, not even the valid weight before it (W7).
    bad: dict[str, Any] = {p1: 5, p2: "five"} if p2 != p1 else {p1: "five"}
    w.write("strengthen", b, bad, "W7", expect=Expect.error("R4", {400}, reason="a weight that is not a number"))


def _needs_attach(target: Target) -> str | None:
    if "attach" not in target.paths:
        return 'relations/attach has no published path: name it in the target file ([endpoints] attach = "...")'
    return None


@_write_scenario("W6", "attach creates a link with its weights", ("attach", "detach"), _needs_attach)
def attaches(w: Writer) -> None:
    p1, p2 = w.scope.properties[0], w.scope.properties[-1]
    b = free(w)
    if b is None:
        raise NotRun("attach needs a B profile in [writes] profiles_b without a link")
    w.write("attach", b, {p1: 8, p2: 0.5}, "W6")
    w.write("detach", b, None, "W5")


# The writes beyond their schema (contract/inputs_writes.py): values, refusals beside real links, overlaps.
_write_scenario("W3", "every value class an edit carries, read back by both reads", ("edit",))(depth.values_of("edit"))
_write_scenario("W4", "every value class a strengthen carries, read back by both reads",
                ("strengthen",))(depth.values_of("strengthen"))
_write_scenario("W6", "every value class an attach carries, read back by both reads", ("attach", "detach"),
                _needs_attach)(depth.values_of("attach"))
_write_scenario("W7", "every write refused for every reason beside real links changes nothing (JSON and XML)",
                ("strengthen", "edit", "detach"))(depth.refusals)
_write_scenario("S1", "writes that overlap: 8 strengthens at once, an edit racing a strengthen",
                ("strengthen", "edit"))(depth.overlaps)
_write_scenario("S1", "generated sequences of writes, each checked by both reads (stateful)",
                ("edit", "strengthen", "detach"))(sequences)
