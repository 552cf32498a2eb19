"""W1 and W2 on every write answer that reports success, and the judgements the write steps make
(registered so every clause names its checks; ``steps.Writer`` applies them).

W1: the documented success shape (``schemas/write-success.schema.json``, with ``x-clause``), and the
two profiles named are the ones the request wrote; W2: ``relation_id`` is the request's ``rel_id``.
E2.text does not apply to writes: their documented success text is "" ("Successful operation" is
accepted too), any string passes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from ... import endpoints
from ...checks.base import fail
from ...checks.failures import Failure
from ...checks.registry import CheckList
from ...contract import schemas
from ...contract.target import Target
from ...wire.client import Exchange
from ...wire.record import ExchangeRecord
from ..get import consistency
from . import model
from .model import State

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check, relational = CHECKS.check, CHECKS.relational

CONSISTENCY = (consistency.link_count_agrees, consistency.property_names_agree, consistency.sums_and_counts_agree,
               consistency.tops_name_the_largest_links)
VERSIONED = (consistency.link_count_agrees, consistency.sums_and_counts_agree)


def is_write_success(ex: Exchange) -> bool:
    return endpoints.by_path(ex.call.path).kind == "write" and ex.error_code == 0 and isinstance(ex.envelope, dict)


def _named(ex: Exchange, field: str) -> Any:
    obj = ex.call.body_fields().get(field)
    return obj.get("profile_id") if isinstance(obj, dict) else None


@check("W1", applies=is_write_success)
def write_answer_shape(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A success names the two profiles written (24 lowercase hex) and the relation (an integer)."""
    found = False
    for v in schemas.violations("write-success", ex.envelope, "W1"):
        if v.clause == "W1":
            found = True
            yield fail(ex, "W1", "write_answer_shape", "The write's success answer has the wrong shape",
                       v.message, received=v.value, path=v.path)
    if found:
        return
    for side in ("profile_a", "profile_b"):
        sent, got = _named(ex, side), ex.envelope.get(side)
        if isinstance(sent, str) and isinstance(got, str) and got != sent.lower():
            yield fail(ex, "W1", "write_answer_shape", f"The answer's {side} is not the profile written",
                       f"{side} names another profile than the request", received=got, expected=sent,
                       path=f"$.{side}")


@check("W2", applies=is_write_success)
def relation_id_is_the_request_rel_id(ex: Exchange, target: Target) -> Iterator[Failure]:
    """relation_id equals the rel_id written under."""
    got, sent = ex.envelope.get("relation_id"), ex.call.body_fields().get("rel_id")
    if isinstance(got, int) and not isinstance(got, bool) and got != sent:
        yield fail(ex, "W2", "relation_id_is_the_request_rel_id", "relation_id is not the request's rel_id",
                   "the answer names another relation than the one written", received=got, expected=sent,
                   path="$.relation_id")


ANSWER_FIELDS = frozenset({"error", "error_text", "profile_a", "profile_b", "relation_id"})


@check("W1", applies=is_write_success)
def undocumented_write_fields_listed(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Fields of a write's answer that the contract does not name are tolerated, and listed."""
    name = endpoints.by_path(ex.call.path).name
    for key in ex.envelope:
        if key not in ANSWER_FIELDS:
            yield fail(ex, "W1", "undocumented_write_fields_listed", "Undocumented field",
                       f"relations/{name} $.{key} is not in the contract", path=f"relations/{name} $.{key}",
                       severity="note")


@dataclass(frozen=True)
class After:
    """One write's aftermath: what the model predicts and what both reads show."""

    op: str
    b: str | None  # the B profile written (None: the request named none)
    step: int
    story: str  # the numbered steps so far, for the message
    expected: State
    got: State
    counter: Exchange
    listing: Exchange
    records: tuple[ExchangeRecord, ...]
    api_version: str


MAX_LINKS_SHOWN = 20  # a target may list thousands of links: past this many, one line says how many more


def _links(a: After, clause: str, name: str, which: Callable[[str], bool]) -> Iterator[Failure]:
    differing = [(b, why) for b, why in model.state_diffs(a.expected, a.got).items() if which(b)]
    for b, why in differing[:MAX_LINKS_SHOWN]:
        yield Failure(clause, name, f"after step {a.step} ({a.op}), relations/get shows {b} other than predicted",
                      f"{why}. {a.story}", received=a.got.get(b), expected=a.expected.get(b),
                      path=f"$.data[profile_id_b={b}]", exchanges=a.records)
    if len(differing) > MAX_LINKS_SHOWN:
        yield Failure(clause, name, f"after step {a.step} ({a.op}), {len(differing) - MAX_LINKS_SHOWN} more links "
                      "differ from the prediction", a.story, exchanges=a.records[-1:])


def _reads_agree(a: After, clause: str) -> Iterator[Failure]:
    """C1-C4 between the two reads after the write, under ``clause``."""
    if not (a.counter.ok and a.listing.ok):
        return
    for c in CONSISTENCY:
        bound = consistency.for_version(c, a.api_version) if c in VERSIONED else c
        for f in bound([a.counter, a.listing]):
            yield replace(f, clause=clause, title=f"after step {a.step} ({a.op}): {f.title}",
                          message=f"{f.message}. {a.story}")


@relational("W3")
def edit_replaces(a: After) -> Iterator[Failure]:
    """After an edit, the link shows the weights as its values (created if it was missing)."""
    yield from _links(a, "W3", "edit_replaces", lambda b: b == a.b)


@relational("W4")
def strengthen_adds(a: After) -> Iterator[Failure]:
    """After a strengthen, each value moved by its weight (from 0 if new; the link created)."""
    yield from _links(a, "W4", "strengthen_adds", lambda b: b == a.b)


@relational("W5")
def detach_removes(a: After) -> Iterator[Failure]:
    """After a detach, relations/get lists no such link and get_counter counts none (C1-C4)."""
    found = list(_links(a, "W5", "detach_removes", lambda b: b == a.b))
    yield from found
    if not found:
        yield from _reads_agree(a, "W5")


@relational("W6")
def attach_creates(a: After) -> Iterator[Failure]:
    """After an attach, the new link shows its weights."""
    yield from _links(a, "W6", "attach_creates", lambda b: b == a.b)


@relational("W7")
def failed_write_changes_nothing(a: After) -> Iterator[Failure]:
    """After a refused write, every link is as it was."""
    yield from _links(a, "W7", "failed_write_changes_nothing", lambda b: True)


@relational("W8")
def repeat_changes_nothing(a: After) -> Iterator[Failure]:
    """The same edit again leaves every value where the first left it."""
    yield from _links(a, "W8", "repeat_changes_nothing", lambda b: b == a.b)


@relational("S1")
def reads_show_the_writes(a: After) -> Iterator[Failure]:
    """After a write, the links it did not name are unchanged, and C1-C4 hold between the reads."""
    found = list(_links(a, "S1", "reads_show_the_writes", lambda b: b != a.b))
    yield from found
    if not found and a.op != "detach":
        yield from _reads_agree(a, "S1")


@relational("S2")
def invalid_write_changes_nothing(a: After) -> Iterator[Failure]:
    """A refused invalid write (unknown rel_id or profile_b, no profile_b) leaves every link as it was."""
    yield from _links(a, "S2", "invalid_write_changes_nothing", lambda b: True)


@relational("S3")
def restored_as_before(initial: State, now: State, removable: list[str]) -> Iterator[str]:
    """At the end, every link under [writes] is exactly as read before the first write (what is
    still to do, as the writes that would do it)."""
    for op, b, values in model.restore_plan(initial, now, removable):
        yield f"{op} {b} {values}" if values else f"{op} {b}"


JUDGES = {"W3": edit_replaces, "W4": strengthen_adds, "W5": detach_removes, "W6": attach_creates,
          "W7": failed_write_changes_nothing, "W8": repeat_changes_nothing, "S2": invalid_write_changes_nothing}
