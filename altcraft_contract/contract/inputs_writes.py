"""The input model of the writes, beyond their schema: the values a write carries, the reasons a
write is refused beside a real link, and writes that overlap in time. Each class's verdict comes
from the contract's words (W3-W8, S1, S2, R4), never per row.

- **Values** (W3 edit, W4 strengthen, W6 attach): integers near and beyond 2^31 and 2^53,
  values that move the link to the head or the tail of ``top`` (large negatives), zero, decimals no
  float32 or float64 holds exactly, booleans (edit and attach only: strengthen adds numbers).
  Verdict: the write succeeds and both reads show the value, compared kind-aware (``true`` is not
  ``1``, ``5`` equals ``5.0``) and exactly to 1e-9 relative (``numbers.py``). Beyond 2^53 a server
  may refuse (RFC 8259 lets an implementation limit the range of numbers): applied, or refused
  with nothing changed.
- **Refusals beside real links** (S2, W7): every write x every reason to refuse (an unknown
  ``rel_id``, an unknown ``profile_b``, no ``profile_b``, a weight that is not a number, no
  ``rel_id``), aimed at a link that exists and at one that does not, JSON and XML. Verdict: an
  error (S2: not 401-403; a malformed one R4's 400), and both reads show nothing changed. ``detach``
  carries no weights: a weight that is not a number is no reason for it to refuse (weights on
  detach are a field the contract names only for the other writes: free).
- **Overlaps** (S1): several strengthens of one link at once end at the start plus all of them; an
  edit racing a strengthen ends in a state some serial order of the two gives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from .target import Target

Neighbours = tuple[Decimal | int, Decimal | int]  # the smallest and largest value other links show
WRITE_OPS = ("edit", "strengthen", "attach")  # the writes that carry weights
OP_CLAUSE = {"edit": "W3", "strengthen": "W4", "attach": "W6", "detach": "W5"}


@dataclass(frozen=True)
class WriteValue:
    """One class of weight values: how to make it from the neighbours' values, and who carries it."""

    name: str
    make: Callable[[Neighbours], Any]
    ops: tuple[str, ...] = WRITE_OPS
    either: bool = False  # applied (to 1e-9) or refused with nothing changed: beyond 2^53
    place: bool = False  # a place in top (a value, not a step): strengthen moves there by the difference


def _v(name: str, make: Callable[[Neighbours], Any], **kw: Any) -> WriteValue:
    return WriteValue(name, make, **kw)


VALUES: tuple[WriteValue, ...] = (
    _v("2^31-1", lambda n: 2**31 - 1),
    _v("2^31", lambda n: 2**31),
    _v("-2^31-1", lambda n: -(2**31) - 1),
    _v("2^53", lambda n: 2**53),
    _v("2^53+1", lambda n: 2**53 + 1, either=True),
    _v("-2^63", lambda n: -(2**63), either=True),
    _v("above every other link (the head of top)", lambda n: n[1] + 1_000_000, place=True),
    _v("a large negative (below every other link)", lambda n: n[0] - 1_000_000_000, place=True),
    _v("zero", lambda n: 0),
    _v("0.1", lambda n: Decimal("0.1")),
    _v("1e-7", lambda n: Decimal("1E-7")),
    _v("123456789.123", lambda n: Decimal("123456789.123")),
    _v("true", lambda n: True, ops=("edit", "attach")),
    _v("false", lambda n: False, ops=("edit", "attach")),
)
# XML carries each value as element text; the decimals are sent in XML too (the text is the number).
XML_VALUES = frozenset({"0.1", "123456789.123", "2^31", "true"})

Reason = Literal["unknown rel_id", "unknown profile_b", "no profile_b", "a weight that is not a number", "no rel_id"]
Aim = Literal["an existing link", "a missing link", "no link"]


@dataclass(frozen=True)
class Refusal:
    """One reason a write is refused, and the clause that owns it."""

    reason: Reason
    clause: Literal["S2", "W7"]  # S2: it names nothing that exists; W7: it is malformed (R4)
    aims: tuple[Aim, ...]
    ops: tuple[str, ...] = ("strengthen", "edit", "detach", "attach")


REFUSALS: tuple[Refusal, ...] = (
    Refusal("unknown rel_id", "S2", ("an existing link", "a missing link")),
    Refusal("unknown profile_b", "S2", ("no link",)),
    Refusal("no profile_b", "S2", ("no link",)),
    Refusal("a weight that is not a number", "W7", ("an existing link", "a missing link"),
            ops=("strengthen", "edit", "attach")),
    Refusal("no rel_id", "W7", ("an existing link", "a missing link")),
)

OVERLAPS = ("8 strengthens of one link at once", "an edit racing a strengthen of another property",
            "an edit racing a strengthen of the same property")


def writes_missing(target: Target, op: str = "") -> str | None:
    """Why the writes' classes are not sent to ``target`` (or ``op`` in particular), or None."""
    if target.writes is None:
        return "writes not allowed: the target file has no [writes] table"
    if not target.allow_writes:
        return "writes not allowed: pass --writes"
    if op == "attach" and "attach" not in target.paths:
        return "relations/attach has no published path ([endpoints] attach)"
    return None


def value_verdict(v: WriteValue, op: str) -> str:
    clause = OP_CLAUSE[op]
    if v.either:
        return f"{clause}: applied (to 1e-9) or refused, changing nothing (W7)"
    return f"{clause}: success; both reads show it (S1, kind-aware, exact to 1e-9)"


def refusal_verdict(r: Refusal) -> str:
    if r.clause == "S2":
        return "S2: an error (not 401-403); both reads unchanged"
    return "R4: 400; both reads unchanged (W7)"
