"""Rendering envelopes as JSON or XML, in any of the forms the contract leaves free.

``Style`` holds those free choices; the conformance variants of the reference endpoint differ
only here, and the suite must pass every one of them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from xml.sax.saxutils import escape

from ..contract import numbers

# The endpoint's own generator: the global one is Hypothesis' to watch, and a server thread that
# draws from it while a strategy runs makes Hypothesis call the suite's own run flaky (seen in a
# default-profile run of the links-shuffled variant).
_RANDOM = random.Random()


@dataclass(frozen=True)
class Style:
    status_mode: Literal["200", "mirror"] = "200"
    key_order: Literal["natural", "sorted", "reversed"] = "natural"
    xml_declaration: bool = False
    xml_null: Literal["empty", "absent", "xsi-nil"] = "empty"
    charset: bool = False
    extra_fields: bool = False
    float_numbers: bool = False  # 20 -> 20.0 in number-typed fields (value, sum)
    indent: bool = False
    error_data: Literal["absent", "null", "empty"] = "absent"
    not_found_code: int = 404
    volatile_extras: bool = False  # undocumented fields that change on every answer (a request id)
    tie_order: Literal["asc", "desc", "random"] = "asc"  # order of equal values in top (free)
    # Keep at most this many items in top, choosing the profiles tied at the cut at random on every
    # answer (how many top holds and how ties are ordered are both free).
    cut_top_at: int | None = None
    link_order: Literal["store", "reversed", "random"] = "store"  # relations/get's link order (free)
    # Which read lists a 0-valued property (free): relations/get does and get_counter does not, by default.
    zeros_in_counter: bool = False
    zeros_in_list: bool = True
    other_error_texts: bool = False  # failure texts in other words (free beyond non-empty, E3)
    # The writes' free choices (CONTRACT-relations, "Left free" and W1's error_text).
    write_error_text: Literal["", "Successful operation"] = ""
    detach_missing: Literal["success", "error"] = "success"  # detach of a link that does not exist
    strengthen_zeros: Literal["keep", "drop"] = "keep"  # a property strengthen brings to 0 stays (with 0) or goes
    attach_existing: Literal["edit", "error"] = "edit"  # attach on a link that exists
    empty_weights: Literal["accept", "refuse"] = "accept"  # weights {} on strengthen, edit, attach
    # How a boolean value shows in get_counter's top and sum (free): as 1/0, or left out of both.
    bools: Literal["count", "skip"] = "count"
    # Numbers kept as exact decimals (parsed from the request's text, summed and shown exactly)
    # rather than doubles; the seed links then also carry a property whose values cancel
    # (1e16, 1.5, -1e16: its sum is 1.5, where doubles say 2).
    exact_decimals: bool = False
    # How a read request's text is read where RFC 8259 and XML 1.0 leave it free (reference/reading.py).
    duplicate_keys: Literal["last", "first", "refuse"] = "last"
    xml_repeats: Literal["refuse", "first", "last"] = "refuse"  # an element repeated under <xml>
    huge_numbers: Literal["double", "exact", "refuse"] = "double"  # 1e400, 2^63: inf/int, exact, or refused
    bom: Literal["refuse", "accept"] = "refuse"  # a JSON text that starts with a byte order mark
    # The wire: every nth request answered 429 (Retry-After: 0), answers chunked, keep-alive
    # connections the server closes after this many answers (on loopback, reference/http11.py),
    # failure texts that echo what the request sent (bounded, the token too).
    every_nth_429: int | None = None
    chunked: bool = False
    close_after: int | None = None
    echo_values: bool = False


def http_status(code: int, style: Style) -> int:
    if code != 0 and style.status_mode == "mirror" and 400 <= code < 500:
        return code
    return 200


def _order(d: dict[str, Any], style: Style) -> dict[str, Any]:
    if style.key_order == "sorted":
        return dict(sorted(d.items()))
    if style.key_order == "reversed":
        return dict(reversed(list(d.items())))
    return d


def _styled(value: Any, style: Style, key: str = "") -> Any:
    if isinstance(value, dict):
        return _order({k: _styled(v, style, k) for k, v in value.items()}, style)
    if isinstance(value, list):
        return [_styled(v, style, key) for v in value]
    if style.float_numbers and key in ("value", "sum") and type(value) is int:
        return float(value)
    return value


def shape(envelope: dict[str, Any], style: Style) -> dict[str, Any]:
    """Apply the free choices that concern content: extra fields, error data, number forms."""
    env = dict(envelope)
    if env.get("error") != 0 and style.other_error_texts:
        env["error_text"] = f"Ошибка {env.get('error')}: {str(env.get('error_text', '')).lower()}"
    if env.get("error") != 0:
        if style.error_data == "null":
            env["data"] = None
        elif style.error_data == "empty":
            env["data"] = {}
    elif style.extra_fields and isinstance(env.get("data"), dict):
        env["data"] = {**env["data"], "segment_hint": "demo", "updated_at": 1700000000}
        env["request_id"] = "ref-0001"
    elif style.extra_fields:  # relations/get's links and the writes' answers carry extras too
        if isinstance(env.get("data"), list):
            env["data"] = [{**link, "created_at": 1700000000, "props": {
                k: {**v, "updated_at": 1700000001} if isinstance(v, dict) else v
                for k, v in link.get("props", {}).items()}} if isinstance(link, dict) else link for link in env["data"]]
        env["request_id"] = "ref-0001"
    if style.volatile_extras:
        nonce = next(_COUNTER)
        env["request_id"] = f"req-{nonce}"
        if isinstance(env.get("data"), dict):
            env["data"] = {**env["data"], "served_at": 1700000000 + nonce}
    if style.tie_order != "asc" and isinstance(env.get("data"), dict):
        env["data"] = _reorder_ties(env["data"], style.tie_order)
    if style.cut_top_at is not None and isinstance(env.get("data"), dict):
        env["data"] = _cut_top(env["data"], style.cut_top_at)
    if style.link_order != "store" and isinstance(env.get("data"), list):
        links = list(env["data"])
        if style.link_order == "reversed":
            links.reverse()
        else:
            _RANDOM.shuffle(links)  # a new order on every answer
        env["data"] = links
    return dict(_styled(env, style))


def _map_tops(data: dict[str, Any], rewrite: Callable[[list[Any]], list[Any]]) -> dict[str, Any]:
    """``data`` with every property's ``top`` list passed through ``rewrite``."""
    props = data.get("props")
    if not isinstance(props, dict):
        return data
    out = {}
    for name, prop in props.items():
        top = prop.get("top") if isinstance(prop, dict) else None
        out[name] = {**prop, "top": rewrite(top)} if isinstance(top, list) else prop
    return {**data, "props": out}


def _cut_top(data: dict[str, Any], size: int) -> dict[str, Any]:
    def cut(top: list[Any]) -> list[Any]:
        if len(top) <= size:
            return top
        value = top[size - 1]["value"]
        above = [i for i in top if i["value"] > value]
        tied = [i for i in top if i["value"] == value]
        return above + _RANDOM.sample(tied, size - len(above))
    return _map_tops(data, cut)


_COUNTER = itertools.count(1)


def _reorder_ties(data: dict[str, Any], how: str) -> dict[str, Any]:
    def reorder(top: list[Any]) -> list[Any]:
        groups = [list(g) for _, g in itertools.groupby(top, key=lambda i: i["value"])]
        for g in groups:
            if how == "desc":
                g.reverse()
            else:
                _RANDOM.shuffle(g)
        return [i for g in groups for i in g]
    return _map_tops(data, reorder)


def to_json(envelope: dict[str, Any], style: Style) -> bytes:
    return numbers.json_dumps(envelope, indent=2 if style.indent else None).encode()


def _xml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(str(value))


def _xml_items(name: str, value: Any, style: Style, out: list[str]) -> None:
    if value is None:
        if style.xml_null == "empty":
            out.append(f"<{name}/>")
        elif style.xml_null == "xsi-nil":
            out.append(f'<{name} xsi:nil="true"/>')
    elif isinstance(value, dict):
        if not value:
            out.append(f"<{name}/>")
            return
        out.append(f"<{name}>")
        for k, v in value.items():
            _xml_items(k, v, style, out)
        out.append(f"</{name}>")
    elif isinstance(value, list):
        if not value:
            out.append(f"<{name}/>")
        for item in value:  # X2: repeated siblings named after the field
            _xml_items(name, item, style, out)
    elif value == "":
        out.append(f"<{name}/>")  # the write answers' error_text "" (W1): the documented XML form
    else:
        out.append(f"<{name}>{_xml_scalar(value)}</{name}>")


def to_xml(envelope: dict[str, Any], style: Style) -> bytes:
    parts: list[str] = []
    _xml_items("xml", envelope, style, parts)
    if style.xml_null == "xsi-nil":
        parts[0] = '<xml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'

    sep = "\n" if style.indent else ""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n' if style.xml_declaration else ""
    return (head + sep.join(parts)).encode()


def content_type(fmt: str, style: Style) -> str:
    base = "application/xml" if fmt == "xml" else "application/json"
    return base + ("; charset=utf-8" if style.charset else "")
