"""The reference endpoint's semantics: find the profile (M1-M3, M6), then aggregate its links
(get_counter, D1-D6) or list them (relations/get, G1-G5)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .data import PROFILES, RELATIONS, TOP_SIZE, WRITE_PROFILES, DemoProfile, Link, Relation, links_of, xxh


class NotFound(Exception):
    """A well-formed request that finds nothing (R5)."""


def _has_tags(stored: Any, wanted: str) -> bool:
    tags = {t.strip() for t in wanted.split(",") if t.strip()}
    return bool(tags) and tags <= set(stored)


def _custom_matches(profile: DemoProfile, name: str, value: int | str) -> bool:
    if name not in profile.fields:
        return False
    stored = profile.fields[name]
    if isinstance(stored, list):
        return isinstance(value, str) and _has_tags(stored, value)
    # An integer field is found by the integer or by its decimal string ("123420").
    return str(stored) == str(value)


def _matches(p: DemoProfile, mode: str, req: dict[str, Any]) -> bool:
    resource = req.get("resource_id")
    if mode in ("email", "phone") and resource is not None:
        # M3: with resource_id, only that resource's subscriptions are searched.
        return any(s.resource_id == resource and bool(getattr(s, mode) == req[mode]) for s in p.subscriptions)
    if mode == "email":
        return bool(p.email == req["email"]) or any(s.email == req["email"] for s in p.subscriptions)
    if mode == "email_profile":
        return bool(p.email == req["email"])
    if mode == "phone":
        return p.phone == req["phone"] or any(s.phone == req["phone"] for s in p.subscriptions)
    if mode == "profile_id":
        return bool(p.profile_id == req["profile_id"])
    return _custom_matches(p, req["field_name"], req["field_value"])


def effective_mode(req: dict[str, Any]) -> str:
    """M1/M5: an explicit mode; without one, email, or profile_id when only that is given."""
    if "matching" in req:
        return str(req["matching"])
    return "email" if "email" in req else "profile_id"


def find_profile(req: dict[str, Any]) -> DemoProfile:
    mode = effective_mode(req)
    for p in PROFILES + WRITE_PROFILES:
        if _matches(p, mode, req):
            return p
    raise NotFound("Profile not found")


def find_relation(rel_id: int) -> Relation:
    for r in RELATIONS:
        if r.rel_id == rel_id:
            return r
    raise NotFound("Relation not found")


def _zero(value: float | int | bool) -> bool:
    return not isinstance(value, bool) and value == 0


def _kinds(relation: Relation, links: Sequence[Link]) -> dict[str, str]:
    """How each property aggregates: as configured; a name a write brought in is of kind "none"."""
    kinds: dict[str, str] = dict(relation.kinds)
    for link in links:
        for name in link.values:
            kinds.setdefault(name, "none")
    return kinds


def build_data(relation: Relation, profile: DemoProfile, api_version: str, zeros: bool = False,
               links: Sequence[Link] | None = None) -> dict[str, Any]:
    """get_counter's ``data`` from ``links`` (the seed links by default); a 0-valued property counts
    only with ``zeros`` (listing it is free)."""
    if links is None:
        links = links_of(relation.rel_id, profile.profile_id)
    props: dict[str, Any] = {}
    for name, kind in _kinds(relation, links).items():
        having = [link for link in links if name in link.values and (zeros or not _zero(link.values[name]))]
        if not having:
            continue
        prop: dict[str, Any] = {"top": None, "sum": None}
        if kind == "top":
            ranked = sorted(having, key=lambda link: (-float(link.values[name]), link.b_profile_id))
            prop["top"] = [{"profile_id": link.b_profile_id, "value": link.values[name]}
                           for link in ranked[:TOP_SIZE]]
        elif kind == "sum":
            prop["sum"] = sum(link.values[name] for link in having)
        if api_version == "v74":
            prop = {"total": len(having), **prop}
        props[name] = prop
    data: dict[str, Any] = {"profile_id": profile.profile_id, "profile_xxh": xxh(profile.profile_id)}
    if api_version == "v74":
        data["total"] = len(links)
    data["props"] = props
    return data


def link_object(link: Link, zeros: bool = True) -> dict[str, Any]:
    """G2: one link as relations/get shows it (a 0-valued property only with ``zeros``)."""
    return {"profile_id_a": link.a_profile_id, "xxh_a": xxh(link.a_profile_id),
            "profile_id_b": link.b_profile_id, "xxh_b": xxh(link.b_profile_id), "db_b": link.db_b,
            "props": {name: {"value": value} for name, value in link.values.items() if zeros or not _zero(value)}}


def list_links(relation: Relation, profile: DemoProfile, zeros: bool = True,
               links: Sequence[Link] | None = None) -> list[dict[str, Any]]:
    """relations/get's ``data``: every link of the profile under the relation (G1-G4), from
    ``links`` (the seed links by default)."""
    if links is None:
        links = links_of(relation.rel_id, profile.profile_id)
    return [link_object(link, zeros) for link in links]
