"""Calling the independent implementation's WSGI app as the write tests do: its data, a small
client for each write and read in JSON or XML, and helpers to compare what the reads show."""

from __future__ import annotations

import copy
import json
import threading
import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any

from werkzeug.test import Client

from tests.independent import server as independent
from tests.independent import writes

TOKEN = independent.TOKEN
A = "aaaaaaaaaaaaaaaaaaaaaa03"  # [writes] profile_a
B4, B5, B6, B7 = (f"bbbbbbbbbbbbbbbbbbbbbb0{i}" for i in (4, 5, 6, 7))
UNKNOWN_B = "ffffffffffffffffffffff00"
PATH = {"strengthen": "/api/v1.1/relations/strengthen", "edit": "/api/v1.1/relations/edit",
        "detach": "/api/v1.1/relations/detach", "attach": writes.ATTACH_PATH}
INITIAL_A: dict[str, dict[str, Any]] = {B4: {"Gift": 3, "Visits": 1.5}, B5: {"Gift": 7, "Rank": 2}}


def _xml_text(name: str, v: Any) -> str:
    if isinstance(v, dict):
        return f"<{name}>" + "".join(_xml_text(k, i) for k, i in v.items()) + f"</{name}>"
    if isinstance(v, bool):
        v = "true" if v else "false"
    return f"<{name}>{v}</{name}>"


def _decode_xml(el: ET.Element) -> Any:
    children = list(el)
    if not children:
        text = (el.text or "").strip()
        if text in ("true", "false"):
            return text == "true"
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            return text
    out: dict[str, Any] = {}
    for c in children:
        v = _decode_xml(c)
        if c.tag in out:
            out[c.tag] = (out[c.tag] if isinstance(out[c.tag], list) else [out[c.tag]]) + [v]
        else:
            out[c.tag] = v
    return out


class Api:
    """One app (a fresh store) and the requests the tests send it (``exact``: JSON answers are read
    with exact decimals, to see the digits the server wrote)."""

    def __init__(self, broken: str = "", style: str = "a", freedoms: Any = (), exact: bool = False) -> None:
        self.app = independent.make_app(broken, style, relations_get=True, freedoms=freedoms)
        self.client = Client(self.app)
        self.style = style
        self.exact = exact

    def twin(self) -> Api:
        """Another client of the same app (one per thread)."""
        other = copy.copy(self)
        other.client = Client(self.app)
        return other

    def raw(self, path: str, data: bytes | str = b"", method: str = "POST", content_type: str | None = "application/json",
            query: str = "", **environ: Any) -> tuple[int, dict[str, str], bytes]:
        """Any request, as it is: the status, headers and body bytes (nothing asserted)."""
        headers = {} if content_type is None else {"Content-Type": content_type}
        r = self.client.open(path + (f"?{query}" if query else ""), method=method, data=data, headers=headers,
                             environ_overrides=environ)
        return r.status_code, dict(r.headers), r.get_data()

    def call(self, path: str, body: dict[str, Any] | bytes | str, send: str = "json", answer: str = "json",
             content_type: str | None = None, method: str = "POST") -> tuple[int, dict[str, Any]]:
        data: str | bytes
        if isinstance(body, dict):
            data = json.dumps(body) if send == "json" else "<xml>" + "".join(_xml_text(k, v) for k, v in body.items()) + "</xml>"
        else:
            data = body
        ctype = content_type or ("application/json" if send == "json" else "application/xml")
        r = self.client.open(path + ("?format=xml" if answer == "xml" else ""), method=method, data=data, content_type=ctype)
        assert r.status_code < 500, r.get_data(as_text=True)
        assert self.app.unexpected == []
        text = r.get_data(as_text=True)
        if answer == "xml":
            assert r.headers["Content-Type"].startswith("application/xml")
            env = _decode_xml(ET.fromstring(text))
            if env.get("error_text") == 0 or env.get("error_text") is None:
                env["error_text"] = ""  # an empty <error_text/> is the empty string
            return r.status_code, env
        assert r.headers["Content-Type"].startswith("application/json")
        env = json.loads(text, parse_float=Decimal) if self.exact else json.loads(text)
        assert isinstance(env["error"], int) and isinstance(env["error_text"], str), env
        return r.status_code, env

    def write(self, op: str, b: str = B4, weights: dict[str, Any] | None = None, send: str = "json",
              answer: str = "json", **extra: Any) -> dict[str, Any]:
        body: dict[str, Any] = {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": b}}
        if weights is not None:
            body["weights"] = weights
        body.update(extra)
        return self.call(PATH[op], body, send, answer)[1]

    def links(self, a: str = A, answer: str = "json") -> dict[str, dict[str, Any]]:
        _, env = self.call("/api/v1.1/relations/get", {"token": TOKEN, "rel_id": 9, "profile_id": a}, answer=answer)
        assert env["error"] == 0, env
        data = env["data"]
        if answer == "xml":
            data = [] if data == "" else (data if isinstance(data, list) else [data])
        assert env["total_count"] == len(data)
        return {link["profile_id_b"]: {k: v["value"] for k, v in (link["props"] or {}).items()} for link in data}

    def counter(self, a: str = A) -> dict[str, Any]:
        _, env = self.call("/api/v1.1/relations/get_counter", {"token": TOKEN, "rel_id": 9, "profile_id": a})
        assert env["error"] == 0, env
        return dict(env["data"])


def success_text(style: str) -> str:
    return "" if style == "b" else "Successful operation"


def near(a: dict[str, dict[str, Any]], b: dict[str, dict[str, Any]]) -> bool:
    if a.keys() != b.keys() or any(a[k].keys() != b[k].keys() for k in a):
        return False
    return all(v == b[k][p] if isinstance(v, bool) else abs(v - b[k][p]) <= 1e-9 * max(1, abs(v))
               for k in a for p, v in a[k].items())


def at_once(jobs: list[Any]) -> list[Any]:
    """Run ``jobs`` (callables) in threads released together; their results in order."""
    barrier = threading.Barrier(len(jobs))
    out: list[Any] = [None] * len(jobs)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = jobs[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out
