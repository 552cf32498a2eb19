"""Faults of relations/get (G1-G6) and of the agreement between the two reads (C1-C4).

A G fault acts on relations/get only; a C fault makes get_counter disagree with the store that
relations/get lists, in a way get_counter's own clauses (D1-D7) cannot see. Several show only on
some inputs: float values, ties above the cut of top, more links than a page.
"""

from __future__ import annotations

import math
from typing import Any

from ...reference.data import LINKS, TOP_SIZE, xxh
from ...reference.faults import Fault, _on_success, _props

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append

GET = ("get",)


def _links(change: Any) -> Any:
    """A hook on relations/get's success envelopes."""
    def hook(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
        return change(inc, env) if env.get("error") == 0 else env
    return hook


# --- G: relations/get on its own ------------------------------------------------------------

register(Fault("links_total_count_as_string", "G1", "sends total_count as a string in JSON answers",
               endpoints=GET, envelope=_links(lambda inc, env: {**env, "total_count": str(env["total_count"])}
                                               if inc.answer_format == "json" else env)))


def _xxh_b_of_a(inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    return {**env, "data": [{**link, "xxh_b": xxh(link["profile_id_a"])} for link in env["data"]]}


register(Fault("links_xxh_b_of_profile_a", "G2", "hashes profile_id_a into xxh_b", endpoints=GET,
               envelope=_links(_xxh_b_of_a)))


def _listed_twice(inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    links = env["data"]
    if len(links) < 2:
        return env  # only where a page holds several links
    doubled = [*links, links[-1]]
    return {**env, "data": doubled, "total_count": len(doubled)}


register(Fault("links_last_listed_twice", "G3", "lists the last link twice when there are several",
               endpoints=GET, envelope=_links(_listed_twice)))

PAGE = 10


def _pages(inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    return {**env, "total_count": math.ceil(len(env["data"]) / PAGE)}


register(Fault("links_total_count_counts_pages", "G4", f"counts pages of {PAGE} links in total_count",
               endpoints=GET, envelope=_links(_pages)))


def _float_as_text(inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    def value(v: Any) -> Any:
        return str(v) if isinstance(v, float) else v
    return {**env, "data": [{**link, "props": {n: {"value": value(p["value"])} for n, p in link["props"].items()}}
                            for link in env["data"]]}


register(Fault("links_float_value_as_string", "G5", "sends fractional property values as strings",
               endpoints=GET, envelope=_links(lambda inc, env: _float_as_text(inc, env)
                                               if inc.answer_format == "json" else env)))


def _wrapped(inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    if inc.answer_format != "xml" or not env["data"]:
        return env
    return {**env, "data": {"link": env["data"]}}  # one <data> holding a <link> per link


register(Fault("xml_links_wrapped_in_one_data", "G6", "wraps the links in <link> elements inside one <data>",
               endpoints=GET, envelope=_links(_wrapped)))

# --- C: get_counter disagrees with the links -----------------------------------------------


def _total_plus_one(data: dict[str, Any]) -> None:
    if isinstance(data.get("total"), int) and data["props"]:
        data["total"] += 1  # still >= every property's total (D6)


register(Fault("counter_total_one_more", "C1", "counts one link more in data.total than there are",
               envelope=_on_success(_total_plus_one)))


def _drop_neither_kind(data: dict[str, Any]) -> None:
    props = _props(data)
    for name in [n for n, p in props.items() if p.get("top") is None and p.get("sum") is None]:
        del props[name]


register(Fault("counter_drops_untallied_properties", "C2",
               "leaves out properties that have neither top nor sum", envelope=_on_success(_drop_neither_kind)))


def _truncate_float_sums(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        if isinstance(prop.get("sum"), float):
            prop["sum"] = float(math.trunc(prop["sum"]))


register(Fault("counter_sum_drops_float_parts", "C3", "drops the fractional part of float sums",
               envelope=_on_success(_truncate_float_sums)))


def _skip_a_tie(data: dict[str, Any]) -> None:
    """In a full top, drop the second of the first tied pair and take the next link below the cut."""
    pid = data.get("profile_id")
    for name, prop in _props(data).items():
        top = prop.get("top")
        if not isinstance(top, list) or len(top) < TOP_SIZE:
            continue
        values = [i["value"] for i in top]
        tie = next((i for i in range(1, len(values) - 2) if values[i] == values[i - 1]), None)
        ranked = sorted(((link.values[name], link.b_profile_id) for link in LINKS
                         if link.a_profile_id == pid and name in link.values), key=lambda vb: (-vb[0], vb[1]))
        if tie is None or len(ranked) <= len(top):
            continue
        below = ranked[len(top)]
        prop["top"] = [*top[:tie], *top[tie + 1:], {"profile_id": below[1], "value": below[0]}]


register(Fault("counter_top_skips_a_tie_above_the_cut", "C4",
               "leaves one of two tied values out of a full top and shows a smaller one instead",
               envelope=_on_success(_skip_a_tie)))
