"""get_counter in the reference endpoint: the links of the matched profile, aggregated per
property as its relation says (top, sum or neither; D1-D6)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...reference import lookup
from ...reference.data import TOP_SIZE, DemoProfile, Link, Relation, is_zero, links_of, xxh
from ...reference.faults import Fault
from ...reference.incoming import App, Incoming
from ...reference.store import Value


def _kinds(relation: Relation, links: Sequence[Link]) -> dict[str, str]:
    """How each property aggregates: as configured; a name a write brought in is of kind "none"."""
    kinds: dict[str, str] = dict(relation.kinds)
    for link in links:
        for name in link.values:
            kinds.setdefault(name, "none")
    return kinds


def build_data(relation: Relation, profile: DemoProfile, api_version: str, zeros: bool = False,
               links: Sequence[Link] | None = None, bools: str = "count") -> dict[str, Any]:
    """get_counter's ``data`` from ``links`` (the seed links by default); a 0-valued property counts
    only with ``zeros`` (listing it is free). How a boolean shows in top and sum is free too:
    ``bools`` "count" takes true as 1 and false as 0, "skip" leaves it out of both."""
    if links is None:
        links = links_of(relation.rel_id, profile.profile_id)
    props: dict[str, Any] = {}
    for name, kind in _kinds(relation, links).items():
        having = [link for link in links if name in link.values and (zeros or not is_zero(link.values[name]))]
        if not having:
            continue
        counted = [(link, _number(link.values[name])) for link in having
                   if bools == "count" or not isinstance(link.values[name], bool)]
        prop: dict[str, Any] = {"top": None, "sum": None}
        if kind == "top":
            ranked = sorted(counted, key=lambda lv: (-lv[1], lv[0].b_profile_id))
            prop["top"] = [{"profile_id": link.b_profile_id, "value": v} for link, v in ranked[:TOP_SIZE]]
        elif kind == "sum":
            prop["sum"] = sum((v for _, v in counted), 0)
        if api_version == "v74":
            prop = {"total": len(having), **prop}
        props[name] = prop
    data: dict[str, Any] = {"profile_id": profile.profile_id, "profile_xxh": xxh(profile.profile_id)}
    if api_version == "v74":
        data["total"] = len(links)
    data["props"] = props
    return data


def _number(v: Value) -> Value:
    """A value as top and sum show it: a boolean as 1 or 0 (a number, as D4 wants of them)."""
    return int(v) if isinstance(v, bool) else v


def answer(app: App, inc: Incoming, fault: Fault) -> dict[str, Any]:
    """The success envelope for a read request (or Reject/NotFound)."""
    relation, profile = lookup.read_request(inc.fields)
    data = build_data(relation, profile, app.api_version, app.style.zeros_in_counter,
                      app.store.links_of(relation.rel_id, profile.profile_id), app.style.bools)
    return {"data": data, "error": 0, "error_text": "Successful operation"}
