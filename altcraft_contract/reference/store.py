"""The reference endpoint's mutable store of links: one per app instance, seeded from ``data.LINKS``.

The reads (get_counter, relations/get) take their links from here and the writes change them, so
what the reads show follows the writes. The loopback server is threaded: every access holds one
lock, and a write holds it from its first check to its last change (W7: atomic per request).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from .data import B_PROFILES, LINKS, Link

Value = float | int | bool | Decimal
Key = tuple[int, str, str]  # rel_id, A profile, B profile: one link per pair and relation (G3)
Snapshot = dict[Key, dict[str, Value]]


def add(a: float | int | Decimal, b: float | int | Decimal) -> float | int | Decimal:
    """A sum in the store's own arithmetic: exact when either side is a Decimal (the exact variant)."""
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return (a if isinstance(a, Decimal) else Decimal(repr(a))) + (b if isinstance(b, Decimal) else Decimal(repr(b)))
    return a + b


class Store:
    """Every link, in insertion order; a new link goes last, a changed one keeps its place."""

    def __init__(self, seed: Iterable[Link] = LINKS) -> None:
        self.lock = threading.RLock()  # re-entrant: a fault's hook may write while a write holds it
        self._seed = tuple(seed)
        self._links: dict[Key, Link] = {}
        self.reset()

    def reset(self) -> None:
        """Back to the seed links (copies: a write never changes ``data.LINKS``)."""
        with self.lock:
            self._links = {(x.rel_id, x.a_profile_id, x.b_profile_id): replace(x, values=dict(x.values))
                           for x in self._seed}

    def links_of(self, rel_id: int, a_profile_id: str) -> tuple[Link, ...]:
        """The links of one A profile under one relation, in store order."""
        with self.lock:
            return tuple(x for (r, a, _), x in self._links.items() if r == rel_id and a == a_profile_id)

    def get(self, rel_id: int, a_profile_id: str, b_profile_id: str) -> Link | None:
        with self.lock:
            return self._links.get((rel_id, a_profile_id, b_profile_id))

    def put(self, rel_id: int, a_profile_id: str, b_profile_id: str, values: Mapping[str, Value]) -> None:
        """Set the link's values to exactly ``values``, creating the link if it is missing."""
        key = (rel_id, a_profile_id, b_profile_id)
        with self.lock:
            old = self._links.get(key)
            self._links[key] = replace(old, values=dict(values)) if old else Link(rel_id, a_profile_id, b_profile_id,
                                                                                   dict(values))

    def edit(self, rel_id: int, a_profile_id: str, b_profile_id: str, weights: Mapping[str, Value]) -> None:
        """W3: replace the named properties (the others stay); create the link if it is missing."""
        with self.lock:
            old = self.get(rel_id, a_profile_id, b_profile_id)
            self.put(rel_id, a_profile_id, b_profile_id, {**(old.values if old else {}), **weights})

    def strengthen(self, rel_id: int, a_profile_id: str, b_profile_id: str, weights: Mapping[str, float | int | Decimal],
                   start: float | int = 0, drop_zeros: bool = False) -> None:
        """W4: add each weight to the property's value (a missing property starts at ``start``);
        with ``drop_zeros`` a property that reaches 0 disappears (free)."""
        with self.lock:
            old = self.get(rel_id, a_profile_id, b_profile_id)
            values = dict(old.values) if old else {}
            for name, delta in weights.items():
                current = values.get(name, start)
                base = start if isinstance(current, bool) else current  # a boolean has no number to add to
                values[name] = add(base, delta)
                if drop_zeros and values[name] == 0:
                    del values[name]
            self.put(rel_id, a_profile_id, b_profile_id, values)

    def remove(self, rel_id: int, a_profile_id: str, b_profile_id: str) -> Link | None:
        """W5: remove the link; the removed link, or None when there was none."""
        with self.lock:
            return self._links.pop((rel_id, a_profile_id, b_profile_id), None)

    def snapshot(self) -> Snapshot:
        """The whole store as plain data, equal for equal contents whatever the links' order."""
        with self.lock:
            return {key: dict(x.values) for key, x in self._links.items()}


@dataclass
class Write:
    """One write as the endpoint carries it out; the fault hooks may change any field."""

    kind: str  # strengthen, edit, detach or attach
    rel_id: int
    profile_a: dict[str, Any]
    profile_b: dict[str, Any]
    weights: dict[str, Value]
    matching: str | None = None
    known_b: frozenset[str] = B_PROFILES  # the B profiles that exist
    a_id: str = ""  # set once found
    b_id: str = ""
    current: dict[str, Value] | None = None  # the link's values before the write; None: no link
    skip: bool = False  # answer success, change nothing (faults only)
    start: float | int = 0  # the value a property strengthen finds missing starts from (W4: 0)
