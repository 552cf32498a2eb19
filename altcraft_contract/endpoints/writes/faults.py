"""Faults of the write endpoints (W1-W8) and of what the reads show after writes (S1, S2).

Each breaks one clause. Most act through the write hook (``Fault.write``, see reference.py); those
about what the reads show keep per-app state in ``app.fault_state``. None changes anything before
the first write, so a read-only run against any of them stays clean.
"""

from __future__ import annotations

import contextlib
import copy
import re
import struct
import time
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from ... import endpoints
from ...contract import numbers
from ...reference import lookup
from ...reference.data import RELATIONS
from ...reference.faults import NO_FAULT, Fault, Hook
from ...reference.incoming import Reject, endpoint_name
from ...reference.store import Write, add
from ..get_counter import reference as counter_ref
from . import reference as writes

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append

WRITES = ("strengthen", "edit", "detach", "attach")
HEX24 = re.compile(r"[0-9a-f]{24}")


def _at(stage: str, kinds: tuple[str, ...], change: Callable[[Any, Write], None]) -> Hook:
    """A write hook acting at one stage ("resolve" or "apply") of the writes of ``kinds``."""
    def hook(app: Any, inc: Any, w: Write, now: str) -> None:
        if now == stage and w.kind in kinds:
            change(app, w)
    return hook


def _answer(change: Callable[[dict[str, Any]], dict[str, Any]]) -> Hook:
    """An envelope hook on the writes' success answers."""
    def hook(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
        return change(env) if env.get("error") == 0 and writes.is_write(inc.path) else env
    return hook


# --- W1, W2: the answer -----------------------------------------------------------------------

register(Fault("edit_answer_without_profile_b", "W1", "leaves profile_b out of edit's success answer",
               endpoints=("edit",), envelope=_answer(lambda env: {k: v for k, v in env.items() if k != "profile_b"})))
register(Fault("edit_answer_ids_uppercase", "W1", "answers edit with the profile ids in upper case",
               endpoints=("edit",), envelope=_answer(lambda env: {**env, "profile_a": str(env["profile_a"]).upper(),
                                                                  "profile_b": str(env["profile_b"]).upper()})))
register(Fault("write_relation_id_is_1", "W2", "answers relation_id 1 whatever rel_id was written (the page's example)",
               endpoints=WRITES, envelope=_answer(lambda env: {**env, "relation_id": 1})))


# --- W3-W6: what each operation does ----------------------------------------------------------

def _set(attr: str, value: Callable[[Write], Any]) -> Callable[[Any, Write], None]:
    return lambda app, w: setattr(w, attr, value(w))


register(Fault("edit_adds", "W3", "edit adds its weights to the values instead of replacing them",
               endpoints=("edit",), write=_at("apply", ("edit",), _set("kind", lambda w: "strengthen"))))
register(Fault("edit_of_missing_link_creates_nothing", "W3", "edit of a link that does not exist answers success and creates nothing",
               endpoints=("edit",), write=_at("apply", ("edit",), _set("skip", lambda w: w.skip or w.current is None))))
register(Fault("strengthen_replaces", "W4", "strengthen replaces the values instead of adding to them",
               endpoints=("strengthen",), write=_at("apply", ("strengthen",), _set("kind", lambda w: "edit"))))
register(Fault("strengthen_ignores_negative_weights", "W4", "strengthen leaves out the negative weights",
               endpoints=("strengthen",), write=_at("apply", ("strengthen",), _set(
                   "weights", lambda w: {k: v for k, v in w.weights.items() if isinstance(v, bool) or v >= 0}))))
register(Fault("strengthen_missing_property_starts_at_1", "W4", "strengthen of a property the link lacks starts from 1, not 0",
               endpoints=("strengthen",), write=_at("apply", ("strengthen",), _set("start", lambda w: 1))))
register(Fault("strengthen_skips_properties_a_link_lacks", "W4", "strengthen of an existing link leaves out the "
               "properties it does not carry yet (a new link gets them all)", endpoints=("strengthen",),
               write=_at("apply", ("strengthen",), _set("weights", lambda w: w.weights if w.current is None else {
                   k: v for k, v in w.weights.items() if k in w.current}))))


def _header_token_refused(app: Any, inc: Any) -> None:
    if inc.header_token and inc.token == inc.header_token:
        inc.token_ok = False  # the writes' handler checks the header's token against the wrong list


register(Fault("writes_refuse_the_bearer_header", "T3", "the writes refuse a valid token sent as Authorization: "
               "Bearer (403), while the reads take it", endpoints=WRITES, auth=_header_token_refused))
# The suite cannot take away a link it created on this server: S3 (restore failed) is its news too.
register(Fault("detach_keeps_the_link", "W5", "detach answers success and leaves the link in place", also=("S3",),
               endpoints=("detach",), write=_at("apply", ("detach",), _set("skip", lambda w: True))))


def _second_call(app: Any, w: Write) -> None:
    """The first detach of a link is acknowledged and dropped; the second one removes it."""
    seen = app.fault_state.setdefault("detached_once", set())
    key = (w.rel_id, w.a_id, w.b_id)
    if w.current is not None and key not in seen:
        seen.add(key)
        w.skip = True


register(Fault("detach_needs_a_second_call", "W5", "the first detach of a link answers success and removes nothing; "
               "the second removes it", endpoints=("detach",), write=_at("apply", ("detach",), _second_call)))
register(Fault("attach_ignores_weights", "W6", "attach creates the link without the weights it was given",
               endpoints=("attach",), write=_at("apply", ("attach",), _set("weights", lambda w: {}))))


def _ghost(app: Any, w: Write) -> None:
    link = app.store.get(w.rel_id, w.a_id, w.b_id)
    if link is not None:
        app.fault_state.setdefault("ghosts", []).append(link)


def _count_ghosts(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    """get_counter computed with the detached links still in (relations/get no longer lists them)."""
    ghosts = app.fault_state.get("ghosts")
    if env.get("error") != 0 or not ghosts or endpoint_name(inc.path) != endpoints.GET_COUNTER.name:
        return env
    relation, profile = lookup.find_relation(inc.fields["rel_id"]), lookup.find_profile(inc.fields)
    links = list(app.store.links_of(relation.rel_id, profile.profile_id))
    links += [g for g in ghosts if g.rel_id == relation.rel_id and g.a_profile_id == profile.profile_id
              and app.store.get(g.rel_id, g.a_profile_id, g.b_profile_id) is None]
    return {**env, "data": counter_ref.build_data(relation, profile, app.api_version, app.style.zeros_in_counter, links)}


register(Fault("detach_still_counted_by_get_counter", "W5",
               "detach removes the link from relations/get, but get_counter still counts it", also=("S1", "D6"),
               endpoints=("detach", "get_counter"), write=_at("apply", ("detach",), _ghost), envelope=_count_ghosts))


# --- W7, W8 -------------------------------------------------------------------------------------

def _half_applied(app: Any, inc: Any) -> None:
    """Before the schema refuses a weight that is not a number or boolean, apply the others."""
    weights = inc.fields.get("weights")
    if not isinstance(weights, dict):
        return
    good = {k: v for k, v in weights.items() if isinstance(v, bool | int | float)}
    if len(good) == len(weights) or not good:
        return
    # Nothing found to write to, or a body too malformed to read: the request is refused as usual.
    with contextlib.suppress(Reject, lookup.NotFound, KeyError, TypeError, ValueError, AttributeError):
        writes.execute(app, inc, endpoint_name(inc.path), {**inc.fields, "weights": good}, NO_FAULT)


register(Fault("write_refused_after_applying_other_weights", "W7",
               "a write refused (400) for a weight that is not a number applies the other weights first",
               endpoints=("strengthen", "edit", "attach"), fields=_half_applied))


def _double_repeats(app: Any, w: Write) -> None:
    if w.current is not None and w.weights and all(w.current.get(k) == v for k, v in w.weights.items()):
        w.weights = {k: v if isinstance(v, bool) else v * 2 for k, v in w.weights.items()}


register(Fault("edit_with_current_values_doubles_them", "W8",
               "an edit whose weights equal the link's values doubles them (a repeated edit shows it)",
               endpoints=("edit",), write=_at("apply", ("edit",), _double_repeats)))


# --- S1, S2: what the reads show after writes -----------------------------------------------------

def _cached(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    """get_counter answers a profile from what it computed at its first read (equal until a write)."""
    if env.get("error") != 0 or not isinstance(env.get("data"), dict):
        return env
    cache = app.fault_state.setdefault("counter_cache", {})
    key = (inc.fields.get("rel_id"), env["data"].get("profile_id"))
    return {**env, "data": copy.deepcopy(cache.setdefault(key, copy.deepcopy(env["data"])))}


def _refresh(app: Any, w: Write) -> None:
    app.fault_state.pop("counter_cache", None)


# A detach refreshes the cache, so only the other writes leave get_counter stale: S1's, not W5's.
register(Fault("counter_cached_from_first_read", "S1",
               "get_counter answers from a cache filled at the first read of a profile, refreshed only by a detach",
               endpoints=("get_counter", "detach"), envelope=_cached, write=_at("apply", ("detach",), _refresh)))


def _spill(app: Any, w: Write) -> None:
    other = next((x for x in app.store.links_of(w.rel_id, w.a_id) if x.b_profile_id != w.b_id), None)
    if other is not None:
        app.store.edit(w.rel_id, w.a_id, other.b_profile_id, w.weights)


# Its spill can land on a link the suite may not take apart (it carries an unlisted property): the
# restore then cannot make it exact, and says so (S3).
register(Fault("edit_spills_to_another_link", "S1", "an edit also writes its weights to another link of the same A profile",
               also=("S3",), endpoints=("edit",), write=_at("apply", ("edit",), _spill)))

_KNOWN_RELS = frozenset(r.rel_id for r in RELATIONS)
register(Fault("unknown_rel_id_written_under_3", "S2", "a write naming an unknown rel_id succeeds, applied under rel_id 3",
               endpoints=WRITES, write=_at("resolve", WRITES, _set(
                   "rel_id", lambda w: w.rel_id if w.rel_id in _KNOWN_RELS else 3))))


def _any_b(app: Any, w: Write) -> None:
    pid = w.profile_b.get("profile_id")
    if isinstance(pid, str) and HEX24.fullmatch(pid):
        w.known_b = w.known_b | {pid}


register(Fault("unknown_profile_b_linked", "S2", "a write naming an unknown profile_b creates a link for it",
               endpoints=WRITES, write=_at("resolve", WRITES, _any_b)))


# --- the writes beyond their schema: values, refusals beside real links, overlaps -----------------

def _int32(v: Any) -> Any:
    return ((v + 2**31) % 2**32) - 2**31 if isinstance(v, int) and not isinstance(v, bool) else v


def _float32(v: Any) -> Any:
    return struct.unpack("f", struct.pack("f", float(v)))[0] if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def _stored_as_float32(app: Any, w: Write) -> None:
    """Strengthen's result kept in 32-bit floats (123456789.123 reads back as 123456792)."""
    base = dict(w.current or {})
    for name, delta in w.weights.items():
        if not isinstance(delta, bool):
            current = base.get(name, w.start)
            base[name] = _float32(add(0 if isinstance(current, bool) else current, delta))
    w.kind, w.weights = "edit", base


register(Fault("edit_stores_int32", "W3", "edit keeps integer weights in 32 bits: 2^31 reads back as -2^31",
               endpoints=("edit",), write=_at("apply", ("edit",), _set(
                   "weights", lambda w: {k: _int32(v) for k, v in w.weights.items()}))))
register(Fault("edit_stores_booleans_as_numbers", "W3", "edit keeps true as 1 and false as 0",
               endpoints=("edit",), write=_at("apply", ("edit",), _set(
                   "weights", lambda w: {k: int(v) if isinstance(v, bool) else v for k, v in w.weights.items()}))))
register(Fault("strengthen_stores_float32", "W4", "strengthen keeps its results as 32-bit floats",
               endpoints=("strengthen",), write=_at("apply", ("strengthen",), _stored_as_float32)))


def _refuse_big(app: Any, w: Write) -> None:
    if any(abs(numbers.exact(v) or Fraction(0)) >= 2**31 for v in w.weights.values()):
        raise Reject(400, "Incorrect request: weight out of range")


register(Fault("attach_refuses_32_bit_overflow", "W6", "attach refuses a weight of 2^31 or more (an int32 column)",
               endpoints=("attach",), write=_at("apply", ("attach",), _refuse_big)))


def _profile(fields: dict[str, Any], side: str) -> Any:
    obj = fields.get(side)
    return obj.get("profile_id") if isinstance(obj, dict) else None


def _detach_anyway(app: Any, inc: Any) -> None:
    """A detach naming an unknown rel_id is refused, but the link under the known one goes first."""
    rel = inc.fields.get("rel_id")
    if endpoint_name(inc.path) == "detach" and isinstance(rel, int) and rel not in _KNOWN_RELS:
        a, b = _profile(inc.fields, "profile_a"), _profile(inc.fields, "profile_b")
        if isinstance(a, str) and isinstance(b, str):
            app.store.remove(3, a.lower(), b.lower())


register(Fault("detach_with_unknown_rel_id_detaches", "S2",
               "a detach naming an unknown rel_id is refused, yet removes the link under rel_id 3",
               endpoints=("detach",), fields=_detach_anyway))


def _xml_half_applied(app: Any, inc: Any) -> None:
    if inc.body_format == "xml":
        _half_applied(app, inc)


register(Fault("xml_write_refused_after_applying_other_weights", "W7",
               "an XML write refused for a weight that is not a number applies the other weights first",
               endpoints=("strengthen", "edit", "attach"), fields=_xml_half_applied))


def _applied_without_rel_id(app: Any, inc: Any) -> None:
    """A write without rel_id is refused (400), but applied under rel_id 3 first."""
    if "rel_id" not in inc.fields and isinstance(inc.fields.get("weights"), dict):
        with contextlib.suppress(Reject, lookup.NotFound, KeyError, TypeError, ValueError, AttributeError):
            writes.execute(app, inc, endpoint_name(inc.path), {**inc.fields, "rel_id": 3}, NO_FAULT)


register(Fault("write_without_rel_id_applied", "W7", "a write without rel_id is refused (400) after it was applied "
               "under rel_id 3", endpoints=("strengthen", "edit", "attach"), fields=_applied_without_rel_id))


def _late(change: Callable[[Write], dict[str, Any]]) -> Callable[[Any, Write], None]:
    """Compute the link's new values from what was read at validation, and write them later,
    outside the store's lock (a read-modify-write that is not atomic)."""
    def hook(app: Any, w: Write) -> None:
        w.skip = True
        app.fault_state.setdefault("late", []).append(((w.rel_id, w.a_id, w.b_id), change(w)))
    return hook


def _write_late(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    pending = app.fault_state.get("late")
    if env.get("error") == 0 and pending and writes.is_write(inc.path):
        time.sleep(0.05)  # the window another request's write falls into
        key, values = pending.pop(0)
        app.store.put(*key, values)
    return env


def _stale_sum(w: Write) -> dict[str, Any]:
    values = dict(w.current or {})
    for name, delta in w.weights.items():
        if not isinstance(delta, bool):
            old = values.get(name, 0)
            values[name] = add(0 if isinstance(old, bool) else old, delta)
    return values


register(Fault("strengthen_loses_overlapping_updates", "S1", "strengthen adds to the value it read, written back "
               "later outside the lock: strengthens that overlap lose each other's weights",
               endpoints=("strengthen",), write=_at("apply", ("strengthen",), _late(_stale_sum)), envelope=_write_late))
register(Fault("edit_writes_back_a_stale_link", "S1", "edit writes back the whole link as it read it, with its weights, "
               "later outside the lock: a strengthen that overlaps it is lost",
               endpoints=("edit",), write=_at("apply", ("edit",), _late(lambda w: {**(w.current or {}), **w.weights})),
               envelope=_write_late))
