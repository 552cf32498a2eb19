"""Loopback servers that misbehave the way real deployments and proxies do.

Each is a WSGI app wrapping the reference endpoint (so a run gets far enough to show the
behaviour), counting and timing every request it sees, and misbehaving only on the requests
``hits`` picks. ``Served`` runs one on 127.0.0.1 in a thread and stops it (and any stalled
handler) on exit.
"""

from __future__ import annotations

import io
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.wsgi import get_input_stream

from altcraft_contract.reference import server

TOKEN_ENV = "ALTCRAFT_API_TOKEN"
WSGIApp = Callable[[dict[str, Any], Any], Iterable[bytes]]


@dataclass
class Seen:
    """One request as the server saw it."""

    n: int  # 1-based order of arrival
    at: float  # time.time() when it arrived
    body: bytes
    headers: dict[str, str]
    ended: float | None = None  # for streamed answers: when the server stopped writing

    @property
    def from_schemathesis(self) -> bool:
        return "schemathesis" in self.headers.get("user-agent", "").lower() or any(
            k.startswith("x-schemathesis") for k in self.headers)


class Hostile:
    """The reference endpoint (accepting ``token``) behind a misbehaving front.

    Subclasses override ``misbehave(seen, environ, start_response)``: return an iterable to answer
    with it, or None to let the reference endpoint answer."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.inner = server.make_app(tokens=frozenset({token}))
        self.lock = threading.Lock()
        self.seen: list[Seen] = []
        self.stop = threading.Event()  # set when the server shuts down: stalled handlers return

    @property
    def count(self) -> int:
        return len(self.seen)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = get_input_stream(environ).read()  # Content-Length or chunked
        environ.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
                        "wsgi.input_terminated": False})
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        headers = {k[5:].replace("_", "-").lower(): str(v) for k, v in environ.items() if k.startswith("HTTP_")}
        with self.lock:
            seen = Seen(len(self.seen) + 1, time.time(), body, headers)
            self.seen.append(seen)
        out = self.misbehave(seen, environ, start_response)
        return self.inner(environ, start_response) if out is None else out

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        return None

    def reference_json(self, environ: dict[str, Any]) -> tuple[str, Any]:
        """The reference endpoint's answer (status line, decoded JSON or None) to this request."""
        got: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            got["status"], got["headers"] = status, headers

        raw = b"".join(self.inner(environ, start))
        try:
            return got["status"], json.loads(raw)
        except ValueError:
            return got["status"], None


class Counting(Hostile):
    """A correct server that only counts and timestamps (budget, rate limit)."""


class Echo(Hostile):
    """Puts the whole request (body and Authorization header) and ``extra`` into ``error_text``
    of every error envelope; every ``raw_every``-th request (or those ``raw`` picks) gets a plain-text
    400 echoing it too."""

    def __init__(self, token: str, extra: str = "", raw_every: int = 5,
                 raw: Callable[[Seen], bool] | None = None) -> None:
        super().__init__(token)
        self.extra = extra
        self.raw = raw or (lambda s: s.n > 1 and s.n % raw_every == 0)

    def _echo(self, seen: Seen) -> str:
        return (f"{self.extra} request body: {seen.body.decode('utf-8', 'replace')} "
                f"Authorization: {seen.headers.get('authorization', '')} "
                f"query: {seen.headers.get('x-never', '')}")

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        if self.raw(seen):
            text = ("Bad request\n" + self._echo(seen)).encode()
            start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", str(len(text)))])
            return [text]
        if "xml" in environ.get("CONTENT_TYPE", "") or b"xml" in seen.body:
            return None  # XML answers pass unchanged (their errors are checked all the same)
        status, env = self.reference_json(environ)
        if not isinstance(env, dict) or env.get("error") in (0, None):
            return None
        env["error_text"] = f"{env.get('error_text', '')} {self._echo(seen)}"
        text = json.dumps(env).encode()
        start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(text)))])
        return [text]


class Drop(Hostile):
    """Closes the connection without an answer on the requests ``hits`` picks."""

    def __init__(self, token: str, hits: Callable[[Seen], bool]) -> None:
        super().__init__(token)
        self.hits, self.dropped = hits, 0

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        if not self.hits(seen):
            return None
        conn = environ.get("werkzeug.socket")
        if conn is None:
            raise RuntimeError("werkzeug no longer hands the socket over")
        with self.lock:
            self.dropped += 1
        conn.shutdown(socket.SHUT_RDWR)
        conn.close()
        raise ConnectionAbortedError("dropped on purpose")  # werkzeug cannot answer on a closed socket


class Stall(Hostile):
    """On the requests ``hits`` picks: before any header (``mode="silent"``) or after the headers,
    one byte of JSON whitespace every 0.1 s (``mode="trickle"``), for ``seconds``; then the answer.
    A trickled answer notes in ``Seen.ended`` when the client went away."""

    def __init__(self, token: str, hits: Callable[[Seen], bool], seconds: float = 5.0,
                 mode: str = "silent") -> None:
        super().__init__(token)
        self.hits, self.seconds, self.mode = hits, seconds, mode
        self.stalled: list[Seen] = []

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        if not self.hits(seen):
            return None
        with self.lock:
            self.stalled.append(seen)
        if self.mode == "silent":
            self.stop.wait(self.seconds)
            return None
        status, env = self.reference_json(environ)
        start_response(status, [("Content-Type", "application/json")])
        return self._trickle(seen, json.dumps(env).encode())

    def _trickle(self, seen: Seen, body: bytes) -> Iterator[bytes]:
        try:
            until = time.monotonic() + self.seconds
            while time.monotonic() < until and not self.stop.is_set():
                yield b" "
                time.sleep(0.1)
            yield body
        finally:
            seen.ended = time.time()


class Huge(Hostile):
    """On the requests ``hits`` picks, a 200 JSON-looking answer of ``size`` bytes (None: endless)."""

    CHUNK = b'{"error": 0, "error_text": "' + b"x" * 65500

    def __init__(self, token: str, hits: Callable[[Seen], bool], size: int | None) -> None:
        super().__init__(token)
        self.hits, self.size = hits, size
        self.served = 0

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        if not self.hits(seen):
            return None
        headers = [("Content-Type", "application/json")]
        if self.size is not None:
            headers.append(("Content-Length", str(self.size)))
        start_response("200 OK", headers)
        return self._body()

    def _body(self) -> Iterator[bytes]:
        sent = 0
        chunk = b"x" * 65536
        yield self.CHUNK[:65536]
        sent += 65536
        while (self.size is None or sent < self.size) and not self.stop.is_set():
            piece = chunk if self.size is None else chunk[: self.size - sent]
            yield piece
            sent += len(piece)
            with self.lock:
                self.served += len(piece)


class Html200(Hostile):
    """Every request but the first gets an HTML page with HTTP 200 (a login page, a CDN's banner)."""

    PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><h1>Please sign in</h1></body></html>"

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                   ("Content-Length", str(len(self.PAGE)))])
        return [self.PAGE]


class TooMany(Hostile):
    """429 with ``Retry-After: retry_after`` on every ``every``-th request (1: always), or (``burst``)
    on the first ``burst`` requests ``hits`` picks: a limiter that refuses one caller for a while."""

    def __init__(self, token: str, every: int, retry_after: str, burst: int = 0,
                 hits: Callable[[Seen], bool] | None = None) -> None:
        super().__init__(token)
        self.every, self.retry_after, self.refused = every, retry_after, 0
        self.burst, self.hits = burst, hits

    def misbehave(self, seen: Seen, environ: dict[str, Any], start_response: Any) -> Iterable[bytes] | None:
        with self.lock:
            if self.hits is not None:
                refuse = self.hits(seen) and self.burst > 0
                self.burst -= refuse
            else:
                refuse = seen.n % self.every == 0
            if not refuse:
                return None
            self.refused += 1
        text = b'{"error": 429, "error_text": "Too many requests"}'
        start_response("429 Too Many Requests", [("Content-Type", "application/json"),
                                                  ("Retry-After", self.retry_after),
                                                  ("Content-Length", str(len(text)))])
        return [text]


class Served:
    """``app`` on 127.0.0.1 at a free port in a daemon thread; a target file for it in ``directory``."""

    def __init__(self, app: Hostile, directory: Path) -> None:
        self.app = app
        self._srv = server.LoopbackServer(app)  # type: ignore[arg-type]
        self.base_url = self._srv.base_url
        self.target = directory / f"target-{self._srv.base_url.rsplit(':', 1)[1]}.toml"
        self.target.write_text(server.target_toml(server.target_for(self.base_url, "v74")), encoding="utf-8")

    def __enter__(self) -> Served:
        self._srv.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.app.stop.set()
        self._srv.stop()

    def args(self) -> list[str]:
        return ["--target", str(self.target)]

    def env(self) -> dict[str, str]:
        return {TOKEN_ENV: self.app.token}


def max_in_window(times: list[float], window: float = 1.0) -> int:
    """The most requests that arrived within any ``window`` seconds."""
    ts = sorted(times)
    best, lo = 0, 0
    for hi, t in enumerate(ts):
        while t - ts[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best
