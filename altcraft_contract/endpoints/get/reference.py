"""relations/get in the reference endpoint: every link of the matched profile under the relation,
one object each (G1-G5), with ``total_count``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...reference import lookup
from ...reference.data import DemoProfile, Link, Relation, is_zero, links_of, xxh
from ...reference.faults import Fault
from ...reference.incoming import App, Incoming


def link_object(link: Link, zeros: bool = True) -> dict[str, Any]:
    """G2: one link as relations/get shows it (a 0-valued property only with ``zeros``)."""
    return {"profile_id_a": link.a_profile_id, "xxh_a": xxh(link.a_profile_id),
            "profile_id_b": link.b_profile_id, "xxh_b": xxh(link.b_profile_id), "db_b": link.db_b,
            "props": {name: {"value": value} for name, value in link.values.items() if zeros or not is_zero(value)}}


def list_links(relation: Relation, profile: DemoProfile, zeros: bool = True,
               links: Sequence[Link] | None = None) -> list[dict[str, Any]]:
    """relations/get's ``data``: every link of the profile under the relation (G1-G4), from
    ``links`` (the seed links by default)."""
    if links is None:
        links = links_of(relation.rel_id, profile.profile_id)
    return [link_object(link, zeros) for link in links]


def answer(app: App, inc: Incoming, fault: Fault) -> dict[str, Any]:
    """The success envelope for a read request (or Reject/NotFound)."""
    relation, profile = lookup.read_request(inc.fields)
    links = list_links(relation, profile, app.style.zeros_in_list, app.store.links_of(relation.rel_id, profile.profile_id))
    return {"data": links, "error": 0, "error_text": "Successful operation", "total_count": len(links)}
