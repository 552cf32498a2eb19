"""The reference endpoint as a WSGI application: parse, authorise, validate, look up, render.

Every request gets an envelope: parsing and validation errors become 400s, and even a bug is
answered as an envelope (R6), never as a crash.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Request, Response

from .. import schemas, xmlcodec
from . import lookup, render, writes
from .data import VALID_TOKENS
from .faults import NO_FAULT, Crash, Fault, Reject
from .store import Store

GET_COUNTER = "/api/v1.1/relations/get_counter"
LIST = "/api/v1.1/relations/get"
PATHS = (GET_COUNTER, LIST, *writes.PATHS)
MAX_BODY = 1 << 20


@dataclass
class Incoming:
    """A request as the endpoint sees it, for the processing steps and the fault hooks."""

    method: str
    path: str
    content_type: str
    raw: bytes
    query_format: str | None
    header_token: str | None
    query_token: str | None
    answer_format: str = "json"
    body_format: str = "json"
    fields: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    token_ok: bool = False
    parsed: bool = False  # set by a fault that parses the body itself
    authorization: str = ""  # the raw Authorization header, for faults in reading it


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    error: int = 0  # the envelope's code, for faults that act on the wire


def _bearer(value: str | None) -> str | None:
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip() or None
    return None


def _xml_fields(raw: bytes) -> dict[str, Any]:
    root = writes.xml_root(raw)
    names = [child.tag for child in root]
    if any(len(child) for child in root) or len(set(names)) != len(names):
        raise Reject(400, "Incorrect request: each field must be a single text element")
    return xmlcodec.decode_request(root)  # typed by the request XSD (rel_id is an integer, ...)


def _json_fields(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):
        raise Reject(400, "Incorrect request: the body is not JSON") from None
    if not isinstance(doc, dict):
        raise Reject(400, "Incorrect request: the body must be a JSON object")
    return doc


class ReferenceApp:
    """``ReferenceApp(api_version, style, fault)`` is a WSGI callable."""

    def __init__(self, api_version: str = "v74", style: render.Style | None = None,
                 fault: Fault = NO_FAULT, tokens: Iterable[str] = VALID_TOKENS, latency_ms: float = 0.0) -> None:
        self.api_version = api_version
        self.latency = latency_ms / 1000  # a far-away deployment's round trip, for the benchmark
        self.style = style or render.Style()
        self.fault = fault
        self.tokens = frozenset(tokens)
        self.last_key = b""  # for the fault that depends on repeats
        self.store = Store()  # this instance's links: the writes change them, the reads show them
        self.fault_state: dict[str, Any] = {}  # what a fault remembers between requests (a cache, ...)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        req = Request(environ)
        if self.latency:
            time.sleep(self.latency)
        try:
            reply = self.handle(req)
        except Crash:
            resp = Response("<html><body><h1>500 Internal Server Error</h1></body></html>", status=500,
                            content_type="text/html")
            return resp(environ, start_response)
        resp = Response(reply.body, status=reply.status, content_type=reply.content_type)
        return resp(environ, start_response)

    def handle(self, req: Request) -> Reply:
        raw = req.stream.read(MAX_BODY + 1)  # one byte over the limit is enough to refuse
        inc = Incoming(req.method, req.path, req.headers.get("Content-Type", ""), raw,
                       req.args.get("format"), _bearer(req.headers.get("Authorization")), req.args.get("token"))
        inc.answer_format = "xml" if inc.query_format == "xml" else "json"
        inc.authorization = req.headers.get("Authorization", "")
        # A fault breaks the endpoint it was written for; the other endpoints answer correctly.
        fault = self.fault if writes.endpoint_name(inc.path) in self.fault.endpoints else NO_FAULT
        try:
            envelope = self.process(inc, fault)
        except Reject as rej:
            envelope = {"error": rej.code, "error_text": rej.text}
        except lookup.NotFound as nf:
            envelope = {"error": self.style.not_found_code, "error_text": str(nf)}
        except Crash:
            raise
        except Exception as exc:  # a bug must still be answered as an envelope (R6)
            envelope = {"error": 400, "error_text": f"Incorrect request ({type(exc).__name__})"}
        envelope = fault.on_envelope(self, inc, envelope)
        reply = self.render(inc, envelope)
        return fault.on_wire(self, inc, reply)

    def render(self, inc: Incoming, envelope: dict[str, Any]) -> Reply:
        shaped = render.shape(envelope, self.style)
        body = render.to_xml(shaped, self.style) if inc.answer_format == "xml" else render.to_json(shaped, self.style)
        code = int(envelope["error"])
        return Reply(render.http_status(code, self.style), render.content_type(inc.answer_format, self.style),
                     body, code)

    def process(self, inc: Incoming, fault: Fault) -> dict[str, Any]:
        if inc.method != "POST":
            raise Reject(405, "Method not allowed: use POST")
        if inc.path.rstrip("/") not in PATHS:
            raise Reject(404, "Unknown API method")
        if len(inc.raw) > MAX_BODY:
            raise Reject(400, "Incorrect request: the body is too large")
        fault.on_request(self, inc)
        media = inc.content_type.split(";")[0].strip().lower()
        if inc.parsed:
            pass  # a fault parsed the body its own way
        elif media == "application/json":
            inc.fields = _json_fields(inc.raw)
        elif media in ("application/xml", "text/xml"):
            inc.body_format = "xml"
            inc.fields = writes.xml_fields(inc.raw) if writes.is_write(inc.path) else _xml_fields(inc.raw)
        else:
            raise Reject(400, "Incorrect request: Content-Type must be application/json or application/xml")
        fmt = inc.fields.pop("format", None)
        if fmt is not None:
            inc.answer_format = "xml" if fmt == "xml" else "json"
        fault.on_parsed(self, inc)
        self.authorise(inc, fault)
        fault.on_fields(self, inc)
        if writes.is_write(inc.path):
            return writes.process(self, inc, fault)
        for v in schemas.violations("request", inc.fields, "R4"):
            raise Reject(400, f"Incorrect request: {v.path} {v.message}"[:300])
        relation = lookup.find_relation(inc.fields["rel_id"])
        profile = lookup.find_profile(inc.fields)
        if inc.path.rstrip("/") == LIST:
            links = lookup.list_links(relation, profile, self.style.zeros_in_list,
                                      self.store.links_of(relation.rel_id, profile.profile_id))
            return {"data": links, "error": 0, "error_text": "Successful operation", "total_count": len(links)}
        data = lookup.build_data(relation, profile, self.api_version, self.style.zeros_in_counter,
                                 self.store.links_of(relation.rel_id, profile.profile_id))
        return {"data": data, "error": 0, "error_text": "Successful operation"}

    def authorise(self, inc: Incoming, fault: Fault) -> None:
        body_token = inc.fields.pop("token", None)
        if body_token is not None and not isinstance(body_token, str):
            raise Reject(400, "Incorrect request: token must be a string")
        inc.token = body_token or inc.header_token or inc.query_token
        if not inc.token:
            raise Reject(401, "API token required")
        inc.token_ok = inc.token in self.tokens
        fault.on_auth(self, inc)
        if not inc.token_ok:
            raise Reject(403, "No access rights")
