"""Which classes of the input model a run sent: field x class x format, with the verdict, and for
a class that was not sent, why (the target file lacks the data, XML cannot carry it, not run).

The plan comes from the model and the target alone; scenarios mark what they send. Records of
several xdist workers merge by taking every class any of them sent.
"""

from __future__ import annotations

import threading
from typing import Any
from weakref import WeakKeyDictionary

from ..contract import inputs, inputs_identity, inputs_text, inputs_wire
from ..contract import inputs_writes as iw
from ..contract.target import Target
from .session import Session

Key = tuple[str, str, str]  # field, class, format
_LOCK = threading.Lock()
_SENT: WeakKeyDictionary[Session, dict[Key, tuple[str, str]]] = WeakKeyDictionary()
_SKIPPED: WeakKeyDictionary[Session, dict[Key, str]] = WeakKeyDictionary()
NOT_SENT = "not sent in this run (its scenario did not run)"


def mark(session: Session, field: str, cls: str, fmt: str, verdict: str, result: str = "held") -> None:
    """Record that ``session`` sent class ``cls`` of ``field`` as ``fmt``, expecting ``verdict``, and
    what the answer showed (``held``, or ``failed: <clauses>``)."""
    with _LOCK:  # scenarios run in threads (--concurrency)
        _SENT.setdefault(session, {})[(field, cls, fmt)] = (verdict, result)


def skip(session: Session, field: str, cls: str, fmt: str, reason: str) -> None:
    """Record why ``session``'s run could not send a class its scenario ran for (the target's data)."""
    with _LOCK:
        _SKIPPED.setdefault(session, {})[(field, cls, fmt)] = reason


def _row(field: str, cls: str, fmt: str, verdict: str, reason: str = NOT_SENT) -> dict[str, Any]:
    return {"field": field, "class": cls, "format": fmt, "verdict": verdict, "sent": False, "reason": reason,
            "result": "not sent"}


def _field_rows(target: Target) -> list[dict[str, Any]]:
    rows = []
    for name in inputs.fields():
        ctx = inputs.context(target, name)
        for cls in inputs.classes_of(name):
            for fmt in ("json", "xml"):
                if isinstance(ctx, str):
                    rows.append(_row(name, cls.name, fmt, "-", ctx))
                elif fmt == "xml" and not cls.xml:
                    rows.append(_row(name, cls.name, fmt, "-", "XML text cannot carry it (or is the same as "
                                     "another class's)"))
                else:
                    rows.append(_row(name, cls.name, fmt, inputs.describe(inputs.verdict(ctx, cls, fmt))))
    return rows


def plan(target: Target) -> list[dict[str, Any]]:
    """Every class of the model for ``target``, none marked sent yet."""
    rows = _field_rows(target)
    for tc in inputs_wire.TOKEN_CLASSES:
        verdict = inputs.describe(inputs_wire.token_verdict(tc))
        rows.append(_row("token", tc.name, "json", verdict))
        rows.append(_row("token", tc.name, "xml", "-", tc.not_in_xml) if tc.not_in_xml else
                    _row("token", tc.name, "xml", verdict))
    for name in inputs_wire.XML_SYNTAX:
        rows.append(_row("XML body", name, "xml", "X1: success"))
    for p in target.profiles:
        for r in inputs_wire.identifier_rows(target, p):
            rows.append(_row(f"identifiers of {p.profile_id}", r.name, "json", inputs.describe(r.expect)))
    for c in inputs_text.CLASSES:  # the texts, methods and media types
        rows.append(_row(c.group, c.name, c.fmt, inputs.describe(inputs_text.text_verdict(target, c))))
    for n in inputs_identity.near_misses(target):
        rows.append(_row(n.field, n.name, "json", inputs.describe(n.expect) if n.expect else "-",
                         n.why_not or NOT_SENT))
    return rows + _write_rows(target)


def _write_rows(target: Target) -> list[dict[str, Any]]:
    """The writes' classes: values, refusals beside real links, overlaps (inputs_writes.py)."""
    rows = []
    for op in iw.WRITE_OPS:
        for v in iw.VALUES:
            for fmt in ("json", "xml"):
                if op in v.ops and (fmt == "json" or v.name in iw.XML_VALUES):
                    rows.append(_row(f"{op} weights", v.name, fmt, iw.value_verdict(v, op),
                                     iw.writes_missing(target, op) or NOT_SENT))
    for op in ("strengthen", "edit", "detach", "attach"):
        for r in iw.REFUSALS:
            for aim in r.aims if op in r.ops else ():
                for fmt in ("json", "xml"):
                    rows.append(_row(f"{op} refused", f"{r.reason}, at {aim}", fmt, iw.refusal_verdict(r),
                                     iw.writes_missing(target, op) or NOT_SENT))
    rows += [_row("overlapping writes", o, "json", "S1: a state a serial order of the writes gives",
                  iw.writes_missing(target) or NOT_SENT) for o in iw.OVERLAPS]
    return rows


def table(session: Session) -> list[dict[str, Any]]:
    """The coverage rows of ``session``'s run: the plan, with what it sent marked."""
    sent = _SENT.get(session, {})
    skipped = _SKIPPED.get(session, {})
    rows = plan(session.target)
    for row in rows:
        key = (row["field"], row["class"], row["format"])
        seen = sent.get(key)
        if seen is not None:
            row.update(sent=True, reason="", verdict=seen[0], result=seen[1])
        elif key in skipped:
            row.update(reason=skipped[key])
    return rows


def merge(tables: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """One table from the workers' tables: a class is sent when any worker sent it."""
    out = [dict(r) for r in tables[0]]
    for other in tables[1:]:
        for mine, theirs in zip(out, other, strict=True):
            if theirs["sent"] and not mine["sent"]:
                mine.update(theirs)
    return out
