"""The writes' part of an upgrade baseline (``--record-baseline``/``--compare-baseline`` with
``--writes``): a fixed sequence of writes under ``[writes]``, each answer observed as the read probes
are (status, code, text, shape), then restored. What changes between two platform versions here is
often a free choice changing (a detach of a missing link now refused): not a contract failure, but
news before an upgrade."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ...checks.failures import ContractViolation
from ...contract.calls import Expect
from ...run.session import Session
from ...wire.problems import NotRun, TransportProblem
from ...wire.redact import bounded
from .steps import UNKNOWN_PROFILE_B, UNKNOWN_REL_ID, Writer, writing


def _observe(w: Writer, op: str, b: str | None, weights: dict[str, Any] | None, *, rel_id: int | None = None
             ) -> dict[str, Any]:
    from ...reports.shapes import shape  # the read probes' own measure (imported here: baseline imports us)

    w.written = True
    ex = w.s.send(w.call(op, b, weights, rel_id=rel_id), Expect.anything("S3"))
    env = ex.envelope if isinstance(ex.envelope, dict) else {}
    return {"status": ex.status, "error": env.get("error"), "error_text": bounded(env.get("error_text"), 500),
            "shape": {p: sorted(t) for p, t in sorted(shape(ex.envelope).items())}, "undocumented": [],
            "xml_differences": []}


def observe_writes(s: Session) -> dict[str, dict[str, Any]]:
    """``writes › ...`` probes, or none when the run may not write (or cannot: its state unreadable,
    an earlier restore failed)."""
    if s.target.writes is None or not s.target.allow_writes or s.dry_run:
        return {}
    out: dict[str, dict[str, Any]] = {}
    try:
        with writing(s) as w:
            assert w.initial is not None
            p1 = w.scope.properties[0]
            b = next((x for x in w.scope.profiles_b if x not in w.initial), None)
            steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
                ("edit an unknown rel_id", lambda: _observe(w, "edit", w.scope.profiles_b[0], {p1: 1},
                                                            rel_id=s.target.unknown_rel_id or UNKNOWN_REL_ID)),
                ("edit an unknown profile_b", lambda: _observe(w, "edit", UNKNOWN_PROFILE_B, {p1: 1})),
                ("edit without profile_b", lambda: _observe(w, "edit", None, {p1: 1})),
            ]
            if b is not None:  # a link the suite creates and removes: never one it could not put back
                steps += [("edit creates a link", lambda: _observe(w, "edit", b, {p1: 1})),
                          ("edit again with the same weights", lambda: _observe(w, "edit", b, {p1: 1})),
                          ("strengthen", lambda: _observe(w, "strengthen", b, {p1: 2})),
                          ("a weight that is not a number", lambda: _observe(w, "strengthen", b, {p1: "two"})),
                          ("detach", lambda: _observe(w, "detach", b, None)),
                          ("detach a missing link", lambda: _observe(w, "detach", b, None))]
            for name, step in steps:
                out[f"writes › {name}"] = step()
    except (ContractViolation, NotRun, TransportProblem):
        return out  # what was observed; a failed restore is in the run's report already
    return out
