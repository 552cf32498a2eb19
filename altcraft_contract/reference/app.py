"""The reference endpoint as a WSGI application: parse, authorise, validate, look up, render.

Every request gets an envelope: parsing and validation errors become 400s, and even a bug is
answered as an envelope (R6), never as a crash.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.wrappers import Request, Response

from .. import endpoints
from ..endpoints.get import reference as get_ref
from ..endpoints.get_counter import reference as counter_ref
from ..endpoints.writes import reference as writes
from . import lookup, render, wire
from .data import LINKS, VALID_TOKENS, exact_links
from .faults import NO_FAULT, Fault
from .incoming import App, Crash, Incoming, Reject, Reply, bearer, endpoint_name, flat_xml_fields, json_fields, xml_numbers
from .store import Store

# Each endpoint's behaviour lives beside it (``endpoints/<name>/reference.py``); the app parses,
# authorises and runs the fault hooks the same way for all of them, then hands the request over.
ANSWERS: dict[str, Callable[[App, Incoming, Fault], dict[str, Any]]] = {
    endpoints.GET_COUNTER.name: counter_ref.answer, endpoints.GET.name: get_ref.answer,
    **{name: writes.answer for name in endpoints.WRITES}}
# The reference serves every endpoint at its natural path (attach too: its target file names it so).
PATHS = tuple(endpoints.BASE + name for name in ANSWERS)
MAX_BODY = 1 << 20


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
        # This instance's links: the writes change them, the reads show them.
        self.store = Store(exact_links() if self.style.exact_decimals else LINKS)
        self.fault_state: dict[str, Any] = {}  # what a fault remembers between requests (a cache, ...)
        self._lock = threading.Lock()
        self._seen = 0  # requests, for the style's every nth 429

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        req = Request(environ)
        if self.latency:
            time.sleep(self.latency)
        if self._slow_down():  # before reading anything: a request answered 429 changed nothing
            return wire.too_many(environ, start_response)
        try:
            reply = self.handle(req)
        except Crash:
            resp = Response("<html><body><h1>500 Internal Server Error</h1></body></html>", status=500,
                            content_type="text/html")
            return resp(environ, start_response)
        body = wire.chunks(reply.body) if self.style.chunked else reply.body  # no Content-Length: chunked
        resp = Response(body, status=reply.status, content_type=reply.content_type)
        return resp(environ, start_response)

    def _slow_down(self) -> bool:
        """Whether this request is one the style answers with 429 (every nth)."""
        if not self.style.every_nth_429:
            return False
        with self._lock:
            self._seen += 1
            return self._seen % self.style.every_nth_429 == 0

    def handle(self, req: Request) -> Reply:
        raw = req.stream.read(MAX_BODY + 1)  # one byte over the limit is enough to refuse
        inc = Incoming(req.method, req.path, req.headers.get("Content-Type", ""), raw,
                       req.args.get("format"), bearer(req.headers.get("Authorization")), req.args.get("token"))
        inc.answer_format = "xml" if inc.query_format == "xml" else "json"
        inc.authorization = req.headers.get("Authorization", "")
        # A fault breaks the endpoint it was written for; the other endpoints answer correctly.
        fault = self.fault if endpoint_name(inc.path) in self.fault.endpoints else NO_FAULT
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
        if self.style.echo_values and envelope.get("error") != 0:
            envelope = {**envelope, "error_text": f"{envelope.get('error_text')} {wire.echo(inc)}"}
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
        elif media == "application/json":  # the style's way of reading a text, for the reads only
            inc.fields = (json_fields(inc.raw, exact=self.style.exact_decimals) if writes.is_write(inc.path)
                          else json_fields(inc.raw, self.style))
        elif media in ("application/xml", "text/xml"):
            inc.body_format = "xml"
            with xml_numbers(exact=self.style.exact_decimals):
                inc.fields = (writes.xml_fields(inc.raw) if writes.is_write(inc.path)
                              else flat_xml_fields(inc.raw, self.style))
        else:
            raise Reject(400, "Incorrect request: Content-Type must be application/json or application/xml")
        fmt = inc.fields.pop("format", None)
        if fmt is not None:
            inc.answer_format = "xml" if fmt == "xml" else "json"
        fault.on_parsed(self, inc)
        self.authorise(inc, fault)
        fault.on_fields(self, inc)
        return ANSWERS[endpoint_name(inc.path)](self, inc, fault)

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
