"""Which links and properties the write scenarios write to: only what ``[writes]`` lets the suite
write and put back (S3)."""

from __future__ import annotations

from decimal import Decimal

from ...contract import numbers
from ...wire.problems import NotRun
from .steps import Writer


def numeric(w: Writer, b: str, name: str) -> int | Decimal:
    """The value the model predicts for ``b``'s property, exactly (0 for none or a boolean)."""
    x = numbers.exact(w.model.get(b, {}).get(name, 0))
    return numbers.to_plain(x) if x is not None else 0


def linked(w: Writer) -> str | None:
    """A listed B profile with a link before the writes that the suite may write to: one it could
    also remove and put back first, else one that carries a listed property."""
    assert w.initial is not None
    having = [b for b in w.scope.profiles_b if b in w.initial and w.writable(b)]
    return next((b for b in having if b in w.removable()), None) or next(iter(having), None)


def free(w: Writer) -> str | None:
    """A listed B profile without a link before the writes (the writes create and remove it)."""
    assert w.initial is not None
    return next((b for b in w.scope.profiles_b if b not in w.initial), None)


def detachable(w: Writer) -> str | None:
    """A listed B profile whose link the suite may remove and put back."""
    return free(w) or next(iter(w.removable()), None)


def target_of(w: Writer) -> tuple[str, str, str]:
    """The B profile the edits and strengthens of a fixed scenario write to, and two of its
    writable properties (the same one twice when only one may be written)."""
    b = linked(w) or free(w)
    if b is None:
        raise NotRun("no B profile in [writes] profiles_b may be written: name one without a link, or one whose "
                     "link carries a listed property")
    props = w.writable(b)
    return b, props[0], props[1] if len(props) > 1 else props[0]
