"""Baselines for platform upgrades: what the target does for a fixed set of probes, and what changed.

``--record-baseline FILE`` stores, per probe, the HTTP status, error code and text, the shape of the
answer (field paths and JSON types, property names folded to ``*``), the undocumented fields and
the JSON/XML differences; with ``--writes``, a fixed sequence of writes too (restored).
``--compare-baseline FILE`` runs the same probes and lists every change.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import __version__, endpoints
from ..checks.parity import parity_diff
from ..checks.views import LINK_FIELDS
from ..contract import schemas
from ..contract.calls import Auth, Call, Expect
from ..endpoints.writes.baseline import observe_writes
from ..run.session import Session
from ..wire.redact import bounded
from .shapes import shape

FORMAT = "altcraft-contract baseline 1"


def probes(session: Session) -> Iterator[tuple[str, Call]]:
    """The fixed probes for every endpoint, with ids that stay the same from one run to the next
    (get_counter's as before; another endpoint's prefixed with its path, ``relations/get › ...``)."""
    for name in (n for n in session.endpoints if n in endpoints.READS):  # never a write path
        prefix = "" if name == endpoints.GET_COUNTER.name else f"relations/{name} › "
        path = endpoints.get(name).path
        for pid, call in _probes(session):
            yield prefix + pid, call.variant(path=path)


def _probes(session: Session) -> Iterator[tuple[str, Call]]:
    t = session.target
    for i, p in enumerate(t.profiles, 1):
        for mode in p.modes():
            yield f"profile {i} by {mode}", Call.of({"rel_id": t.rel_id, "matching": mode, **(p.identifiers(mode) or {})})
    first = {"rel_id": t.rel_id, "matching": "profile_id", "profile_id": t.profiles[0].profile_id}
    yield "no token", Call.of(first, auth=Auth.NONE)
    yield "invalid token", Call.of(first, auth=Auth.BODY_INVALID)
    yield "rel_id missing", Call.of({k: v for k, v in first.items() if k != "rel_id"})
    yield "matching unknown", Call.of({**first, "matching": "email_sub"})
    yield "unknown profile", Call.of({**first, "profile_id": "0" * 24})
    if t.unknown_rel_id is not None:
        yield "unknown rel_id", Call.of({**first, "rel_id": t.unknown_rel_id})


def _undocumented(env: Any, api_version: str) -> list[str]:
    data_f, prop_f, _ = schemas.documented_fields(api_version)
    if not isinstance(env, dict):
        return []
    found = [f"$.{k}" for k in env if k not in ("error", "error_text", "data", "total_count")]
    data = env.get("data")
    if isinstance(data, list):  # relations/get's links
        found += [f"$.data[].{k}" for link in data if isinstance(link, dict) for k in link if k not in LINK_FIELDS]
    if isinstance(data, dict):
        found += [f"$.data.{k}" for k in data if k not in data_f]
        for prop in (data.get("props") or {}).values() if isinstance(data.get("props"), dict) else []:
            if isinstance(prop, dict):
                found += [f"$.data.props.*.{k}" for k in prop if k not in prop_f]
    return sorted(set(found))


def observe(session: Session, call: Call) -> dict[str, Any]:
    as_json = session.send(call, Expect.anything("V74"))
    as_xml = session.send(call.variant(answer_format="xml"), Expect.anything("V74"))
    env = as_json.envelope if isinstance(as_json.envelope, dict) else {}
    diffs = [] if not isinstance(as_xml.envelope, dict) else [
        d.path for f in ("error", "error_text", "data", "total_count")
        for d in parity_diff(env.get(f, "<absent>"), as_xml.envelope.get(f, "<absent>"), f"$.{f}")]
    return {
        "status": as_json.status,
        "error": env.get("error"),
        "error_text": bounded(env.get("error_text"), 500),  # the target's text: cut, and never the token
        "shape": {p: sorted(t) for p, t in sorted(shape(as_json.envelope).items())},
        "undocumented": _undocumented(as_json.envelope, session.target.api_version),
        "xml_differences": sorted(set(diffs)),
    }


def record(session: Session) -> dict[str, Any]:
    t = session.target
    return {"format": FORMAT, "suite_version": __version__,
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "recorded_on": f"{t.base_url} (api {t.api_version})",
            "probes": {**{pid: observe(session, call) for pid, call in probes(session)}, **observe_writes(session)}}


def load(path: str) -> dict[str, Any]:
    p = Path(path)
    doc: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    if doc.get("format") != FORMAT:
        raise ValueError(f"{path} is not a baseline written by --record-baseline")
    return doc


def _changes_of(old: dict[str, Any], new: dict[str, Any]) -> Iterator[tuple[str, str, Any, Any]]:
    for key, kind in (("status", "HTTP status changed"), ("error", "error code changed"),
                      ("error_text", "error_text changed")):
        if old[key] != new[key]:
            yield kind, f"$.{key}" if key != "status" else "HTTP status", old[key], new[key]
    added = set(new["shape"]) - set(old["shape"])
    for path in sorted(added):
        yield "field added", path, None, "|".join(new["shape"][path])
    for path in sorted(set(old["shape"]) - set(new["shape"])):
        yield "field removed", path, "|".join(old["shape"][path]), None
    for path in sorted(set(old["shape"]) & set(new["shape"])):
        if old["shape"][path] != new["shape"][path]:
            yield "field type changed", path, "|".join(old["shape"][path]), "|".join(new["shape"][path])
    # A field that appears is listed once, as added, even where the contract does not name it.
    for path in sorted(set(new["undocumented"]) - set(old["undocumented"]) - added):
        yield "new undocumented field", path, None, path
    for path in sorted(set(old["undocumented"]) - set(new["undocumented"])):
        yield "undocumented field gone", path, path, None
    for path in sorted(set(new["xml_differences"]) - set(old["xml_differences"])):
        yield "new JSON/XML difference", path, None, path
    for path in sorted(set(old["xml_differences"]) - set(new["xml_differences"])):
        yield "JSON/XML difference gone", path, path, None


def compare(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Every change between two baselines, each listed once with the probes that show it."""
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for pid in sorted(set(old["probes"]) | set(new["probes"])):
        if pid not in new["probes"] or pid not in old["probes"]:
            kind = "probe no longer run" if pid not in new["probes"] else "new probe"
            grouped.setdefault((kind, pid, "", ""), []).append(pid)
            continue
        for kind, path, before, after in _changes_of(old["probes"][pid], new["probes"][pid]):
            grouped.setdefault((kind, path, json.dumps(before), json.dumps(after)), []).append(pid)
    changes = [{"kind": k, "path": p, "before": json.loads(b) if b else None, "after": json.loads(a) if a else None,
                "probes": pids} for (k, p, b, a), pids in grouped.items()]
    return {"recorded_at": old["recorded_at"], "recorded_on": old["recorded_on"], "changes": changes}
