"""The HTTP client: turns a Call into bytes on the wire, and the answer into an Exchange.

The token is inserted here and only here; everything the Exchange keeps for reports (URL,
headers, body, curl line) is built with a placeholder instead.
"""

from __future__ import annotations

import gc
import json
import re
import shlex
import time
from contextlib import suppress
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape as xml_escape

import httpx

from .. import endpoints
from ..contract import numbers
from ..contract.calls import BODY_TOKEN, Auth, Call, Expect
from . import redact, xmlcodec
from .gate import AnswerTooSlow, Bounded, Gate, read_bounded, retry_after

INVALID_TOKEN = "invalid-token-00000000000000000000"  # a token no target issues (R3)
# Never a real token (private-use characters), and neither JSON nor XML escapes it, so it can be
# found again in an encoded body and replaced there.
_PLACEHOLDER = BODY_TOKEN  # also where a raw body's token goes
_MEDIA = {"json": "application/json", "xml": "application/xml"}


@dataclass
class Exchange:
    """One request and its answer, as checks and reports see them (secrets already removed)."""

    call: Call
    expect: Expect
    url: str
    request_headers: dict[str, str]
    request_body: str
    curl: str
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    elapsed: float = 0.0
    transport_error: str | None = None
    text: str | None = None  # the body decoded as UTF-8, None when it is not UTF-8 (T1)
    envelope: Any = None  # the decoded envelope (JSON model), None when the body did not parse
    parse_error: str | None = None
    scratch: dict[str, Any] = field(default_factory=dict)  # per-exchange caches for checks
    body_size: int | None = None  # bytes the answer had, as far as they were read
    truncated: bool = False  # the answer was longer than the gate reads (``body`` is its start)
    seq: int = 0  # its place in the run's send order (this process), for the "unreachable" streak
    _exact: Any = field(default=None, repr=False)  # the envelope with exact numbers, once asked for

    def release(self, keep: int = 65536) -> None:
        """Keep only the start of the raw answer once the checks have read it: exchanges live on in
        scenarios, in Hypothesis' failing examples and their tracebacks, and a hostile target's
        answers must not pile up there."""
        if self.body_size is None:
            self.body_size = len(self.body)
        big = len(self.body) > keep
        if big:
            self.exact()  # read from the whole answer while it is here (C3 and S1 ask for it later)
        self.body = self.body[:keep]
        if self.text is not None:
            self.text = self.text[:keep]
        self.scratch.clear()
        if big:  # a large answer's buffers may sit in reference cycles until the collector's next run
            gc.collect(0)

    @property
    def content_type(self) -> str:
        return self.response_headers.get("content-type", "")

    @property
    def error_code(self) -> Any:
        return self.envelope.get("error") if isinstance(self.envelope, dict) else None

    @property
    def ok(self) -> bool:
        return isinstance(self.envelope, dict) and self.envelope.get("error") == 0

    @property
    def data(self) -> Any:
        return self.envelope.get("data") if isinstance(self.envelope, dict) else None

    def exact(self) -> Any:
        """The envelope with every number that is not an integer as the ``Decimal`` its text writes
        (C3's sums and S1's values are computed exactly from it); the envelope itself when the body
        is no longer whole or does not parse so."""
        if self._exact is None and isinstance(self.envelope, dict):
            self._exact = self.envelope
            if self.text is not None and not self.truncated and len(self.body) == (self.body_size or len(self.body)):
                with suppress(ValueError, RecursionError, xmlcodec.XMLDecodeError):
                    self._exact = (xmlcodec.decode_response(self.body, self.call.path, exact=True)
                                   if self.call.answer == "xml" else json.loads(self.text, parse_float=Decimal))
        return self._exact

    def exact_data(self) -> Any:
        env = self.exact()
        return env.get("data") if isinstance(env, dict) else None


def _other(c: str, alphabet: str) -> str:
    """Another character of ``alphabet`` (the next one), or of ``ab`` when it has only ``c``."""
    pool = alphabet if len(alphabet) > 1 else "ab"
    return pool[(pool.index(c) + 1) % len(pool)] if c in pool else pool[0]


_DERIVED = {Auth.BODY_BLANK: "whitespace", Auth.BODY_SAME_SHAPE: "same length and alphabet",
            Auth.BODY_LAST_CHANGED: "last character changed", Auth.BODY_PREFIX: "prefix",
            Auth.BODY_SUFFIXED: "plus a suffix"}
_DERIVED_MARK = re.compile("\ue000TOKEN:([a-z ]+)\ue000")


def derived_token(auth: Auth, token: str) -> str:
    """A wrong token computed from the real one at send time (R2/R3 classes); a Call never holds it.
    For the placeholder it is a marker that ``redacted`` shows as ``<redacted: kind>``."""
    if token == _PLACEHOLDER:
        return f"\ue000TOKEN:{_DERIVED[auth]}\ue000"
    alphabet = "".join(sorted(set(token)))
    if auth is Auth.BODY_BLANK:
        return "   "
    if auth is Auth.BODY_SAME_SHAPE:  # every character replaced by another of the token's own alphabet
        return "".join(_other(c, alphabet) for c in token)
    if auth is Auth.BODY_LAST_CHANGED:
        return token[:-1] + _other(token[-1], alphabet)
    if auth is Auth.BODY_PREFIX:
        return token[: max(1, len(token) // 2)]
    return token + "x"  # BODY_SUFFIXED


def _token_value(auth: Auth, token: str) -> Any:
    if auth in _DERIVED:
        return derived_token(auth, token)
    return {
        Auth.BODY: token, Auth.HEADER_EMPTY_BODY: token, Auth.BODY_EMPTY: "", Auth.BODY_NULL: None,
        Auth.BODY_INVALID: INVALID_TOKEN,
    }.get(auth, _PLACEHOLDER)


def encode(call: Call, token: str) -> tuple[str, dict[str, str], bytes]:
    """The URL path with query, the headers and the body bytes of ``call``."""
    query = ""
    fields = list(call.fields)
    if call.answer_format is not None:
        if call.format_in == "query":
            query = f"?format={call.answer_format}"
        else:
            fields.append(("format", call.answer_format))
    if call.auth.in_body:
        fields.insert(min(call.token_pos, len(fields)), ("token", _token_value(call.auth, token)))
    headers = {} if call.content_type == "" else {"Content-Type": call.content_type or _MEDIA[call.body_format]}
    if call.auth is Auth.HEADER:
        headers["Authorization"] = f"Bearer {token}"
    elif call.auth is Auth.HEADER_INVALID:
        headers["Authorization"] = f"Bearer {INVALID_TOKEN}"
    elif call.auth in (Auth.HEADER_EMPTY, Auth.HEADER_EMPTY_BODY):
        headers["Authorization"] = "Bearer"  # "Bearer " on the wire: HTTP drops a value's trailing space
    if call.raw_body is not None:
        body = _with_token(call.raw_body, token, call.body_format)
    elif call.body_format == "xml":
        body = xmlcodec.encode_request_as(fields, call.xml_syntax) if call.xml_syntax else xmlcodec.encode_request(fields)
    else:
        body = numbers.json_dumps(dict(fields)).encode()
    return call.path + query, headers, body


def _with_token(raw: bytes, token: str, fmt: str) -> bytes:
    """A raw body with the token written where it marks its place (BODY_TOKEN), escaped as a JSON
    string's or an XML text's content."""
    mark = _PLACEHOLDER.encode()
    if mark not in raw:
        return raw
    text = json.dumps(token, ensure_ascii=False)[1:-1] if fmt == "json" else xml_escape(token)
    return raw.replace(mark, text.encode())


def redacted(call: Call, token_env: str, base_url: str = "") -> tuple[dict[str, str], str, str]:
    """Headers, body text and the curl line for ``call`` with the token as a placeholder. The curl
    line names the target's URL (without any user:password in it), so it runs as pasted once the
    token variable is set."""
    path, headers, body = encode(call, _PLACEHOLDER)
    text = _DERIVED_MARK.sub(r"<redacted: \1>", body.decode("utf-8", errors="replace"))
    shown = {k: (v.replace(_PLACEHOLDER, "<redacted>") if k == "Authorization" else v) for k, v in headers.items()}
    parts = ["curl", "-sS", "-X", call.method, shlex.quote(_without_userinfo(base_url) + path)]
    for k, v in headers.items():
        if _PLACEHOLDER in v:
            parts += ["-H", f"\"{k}: {v.replace(_PLACEHOLDER, '$' + token_env)}\""]
        else:
            parts += ["-H", shlex.quote(f"{k}: {v}")]
    # The body is single-quoted; the token is spliced in from the environment, never written.
    quoted = "'" + text.replace("'", "'\\''").replace(_PLACEHOLDER, "'\"$" + token_env + "\"'") + "'"
    parts += ["--data-binary", quoted]
    return shown, text.replace(_PLACEHOLDER, "<redacted>"), " ".join(parts)


def _without_userinfo(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])) if "@" in parts.netloc else url


def parse_answer(ex: Exchange, limit: int | None = None) -> None:
    """Decode the body: UTF-8 first (T1), then JSON or XML by the format that was asked for. An
    answer cut at the gate's limit is not an envelope (E1), whatever its start looks like."""
    if ex.truncated:  # only its start is ever shown
        ex.text = ex.body[:65536].decode("utf-8", errors="replace")
        ex.parse_error = (f"the answer is longer than the suite reads ({limit} bytes): it stopped after "
                          f"{ex.body_size} bytes (raise --max-answer-bytes if the target means it)")
        return
    try:
        ex.text = ex.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        ex.parse_error = f"body is not UTF-8: {exc}"
        return
    try:
        if ex.call.answer == "xml":
            ex.envelope = xmlcodec.decode_response(ex.body, ex.call.path)
        else:
            ex.envelope = json.loads(ex.text)
    except (ValueError, xmlcodec.XMLDecodeError) as exc:
        ex.parse_error = f"body is not {ex.call.answer.upper()}: {exc}"


class Client:
    """Sends Calls to one target over an httpx client (loopback, in-process or remote), through the
    run's gate (budget, rate, timeout, 429, bounded read)."""

    def __init__(self, base_url: str, token: str, token_env: str, *, timeout: float = 10.0,
                 transport: httpx.BaseTransport | None = None, budget: int | None = None,
                 gate: Gate | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        redact.add_secret(token)
        for kind in _DERIVED:  # a wrong token made from the real one (a prefix of it...) is as secret,
            derived = derived_token(kind, token)  # when long enough not to be an ordinary word
            if len(derived) >= 12:
                redact.add_secret(derived)
        self.token_env = token_env
        self.gate = gate or Gate(budget=budget, timeout=timeout)
        # Connections for every thread that may send at once (``--concurrency``).
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
        self._http = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport, limits=limits)
        # A new connection for every request: the writes, and a read whose kept-alive connection the
        # server had closed (HTTP/1.1 lets it close an idle one at any time).
        self._fresh = httpx.Client(base_url=self.base_url, timeout=timeout, transport=transport,
                                   limits=httpx.Limits(max_connections=64, max_keepalive_connections=0))
        self.last: Exchange | None = None

    @property
    def sent(self) -> int:
        return self.gate.sent

    @property
    def waited_429(self) -> float:
        return self.gate.waited_429

    def close(self) -> None:
        self._http.close()
        self._fresh.close()

    def set_timeout(self, seconds: float) -> None:
        self.gate.timeout = seconds
        self._http.timeout = self._fresh.timeout = httpx.Timeout(seconds)

    def token_for_tools(self) -> str:
        """The token, for a tool that sends its own requests (schemathesis) through the gate."""
        return self._token

    def send(self, call: Call, expect: Expect) -> Exchange:
        path, headers, body = encode(call, self._token)
        shown, text, curl = redacted(call, self.token_env, self.base_url)
        ex = Exchange(call, expect, self.base_url + path, shown, text, curl)
        gate = self.gate
        # A write never goes on a kept-alive connection, so it is never sent on one the server closed;
        # and it is never sent twice (only the 429s, which the server refused unread, go again).
        http = self._http if resendable(call) else self._fresh
        for attempt in range(gate.max_retries_429 + 1):
            ex.seq = gate.admit()
            started = time.perf_counter()
            try:
                try:
                    resp, got = self._exchange(http, call, path, headers, body)
                except _NoAnswer as none:
                    if http is self._fresh:
                        raise none.error from None
                    # The kept-alive connection ended before any answer: the read goes again, once,
                    # on a new connection (it only reads, I1; a second failure is reported as it is).
                    http = self._fresh
                    ex.seq = gate.admit()
                    started = time.perf_counter()
                    try:
                        resp, got = self._exchange(http, call, path, headers, body)
                    except _NoAnswer as again:
                        raise again.error from None
            except (httpx.HTTPError, AnswerTooSlow) as exc:
                kind = "ReadTimeout" if isinstance(exc, AnswerTooSlow) else type(exc).__name__
                ex.transport_error = redact.redact(redact.cut(f"{kind}: {exc}", 500))
                ex.elapsed = time.perf_counter() - started
                self.last = ex
                return ex
            delay = retry_after(resp.status_code, resp.headers)
            if delay is None or attempt == gate.max_retries_429 or not gate.may_wait(delay):
                break
            gate.backoff(delay)  # 429: the target asked us to slow down; honour Retry-After
        ex.elapsed = time.perf_counter() - started
        ex.status = resp.status_code
        ex.response_headers = {k.lower(): v for k, v in list(resp.headers.items())[:200]}
        ex.body, ex.body_size, ex.truncated = got.body, got.size, got.truncated
        parse_answer(ex, gate.max_answer_bytes)
        self.last = ex
        return ex

    def _exchange(self, http: httpx.Client, call: Call, path: str, headers: dict[str, str],
                  body: bytes) -> tuple[httpx.Response, Bounded]:
        """One request and its bounded answer; _NoAnswer when the connection ended before any."""
        gate = self.gate
        deadline = gate.deadline()
        answered = False
        try:
            with http.stream(call.method, path, headers=headers, content=body, timeout=gate.timeout) as resp:
                answered = True
                return resp, read_bounded(resp.iter_bytes(), gate.max_answer_bytes, deadline, gate.timeout)
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            if answered or (isinstance(exc, httpx.RemoteProtocolError) and "without sending a response" not in str(exc)):
                raise
            raise _NoAnswer(exc) from None


class _NoAnswer(Exception):
    """The connection ended before any byte of an answer came back."""

    def __init__(self, error: httpx.HTTPError) -> None:
        super().__init__(str(error))
        self.error = error


def resendable(call: Call) -> bool:
    """A request that may go again when its connection ended before any answer: one to a read
    endpoint's own path (it only reads, I1). Writes, and paths the suite does not know, never."""
    e = endpoints.by_path(call.path)
    return e.kind == "read" and e.path == call.path.split("?", maxsplit=1)[0].rstrip("/")
