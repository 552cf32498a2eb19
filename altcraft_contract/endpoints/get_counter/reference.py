"""get_counter in the reference endpoint: the links of the matched profile, aggregated per
property as its relation says (top, sum or neither; D1-D6)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...reference import lookup
from ...reference.data import TOP_SIZE, DemoProfile, Link, Relation, is_zero, links_of, xxh
from ...reference.faults import Fault
from ...reference.incoming import App, Incoming


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
        having = [link for link in links if name in link.values and (zeros or not is_zero(link.values[name]))]
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




def answer(app: App, inc: Incoming, fault: Fault) -> dict[str, Any]:
    """The success envelope for a read request (or Reject/NotFound)."""
    relation, profile = lookup.read_request(inc.fields)
    data = build_data(relation, profile, app.api_version, app.style.zeros_in_counter,
                      app.store.links_of(relation.rel_id, profile.profile_id))
    return {"data": data, "error": 0, "error_text": "Successful operation"}
