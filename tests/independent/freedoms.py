"""Free choices the contract leaves to a server, each selectable on ``make_app(freedoms=...)``
(a ``Freedoms``, the name of one freedom, several names joined by commas, or an option set):

- ``bools_counted``: booleans count as 1 and 0 in get_counter's ``sum`` and ``top`` (the contract
  leaves how booleans show there free); ``top`` then shows them as the numbers 1 and 0.
- ``exact``: numbers are kept as exact decimals in every style (JSON parsed with ``Decimal``),
  sums are exact, and every number is written as its exact decimal text (1e16 + 1.5 + -1e16 is
  written ``1.5``; 0.1 + 0.2 is ``0.3``).
- ``cancelling``: data, not behaviour: profile 01's links carry a property ``Score`` of 1e16, 1.5
  and -1e16, whose exact sum (1.5, which every style writes) is not the double sum (2.0).
- ``throttle``: every 60th request is answered HTTP 429 with an envelope (error 429) and a
  ``Retry-After`` header, cycling through ``retry_after`` ("0", "1"); nothing is done for it.
- ``chunked``: answers are written in several chunks without a Content-Length (werkzeug's
  server and ``keepalive.KeepAliveServer`` then send ``Transfer-Encoding: chunked``).
- ``close``: every 3rd answer on one connection carries ``Connection: close`` and the connection
  is closed (a server that keeps connections alive is needed to see it: werkzeug's closes every
  connection after one answer; ``keepalive.KeepAliveServer`` keeps them).
- ``echo``: error texts show the offending value (``rel_id: 'abc' is not an integer``), quoted,
  escaped and cut at 64 characters (``body.show``), the same for JSON and XML requests.

``OPTION_SETS["c"]`` switches them all on but ``cancelling`` (they touch different things:
numbers, transport, texts); the suite of this branch fails ``cancelling`` (it adds doubles for C3).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Freedoms:
    bools_counted: bool = False
    exact: bool = False
    cancelling: bool = False
    throttle_every: int = 0
    retry_after: tuple[str, ...] = ("0", "1")
    chunked: bool = False
    close_every: int = 0
    echo: bool = False


NAMES: dict[str, dict[str, Any]] = {
    "bools_counted": {"bools_counted": True}, "exact": {"exact": True},
    "cancelling": {"cancelling": True}, "throttle": {"throttle_every": 60},
    "chunked": {"chunked": True}, "close": {"close_every": 3}, "echo": {"echo": True},
}
OPTION_SETS = {"c": ",".join(n for n in NAMES if n != "cancelling"), "numbers": "bools_counted,exact",
               "transport": "throttle,chunked,close"}


def freedoms(spec: Freedoms | str | Iterable[str] = ()) -> Freedoms:
    """``spec`` as a Freedoms: an option set's name, freedom names (a list or comma-joined)."""
    if isinstance(spec, Freedoms):
        return spec
    if isinstance(spec, str):
        spec = OPTION_SETS.get(spec, spec).split(",")
    out = Freedoms()
    for name in spec:
        if name:
            if name not in NAMES:
                raise ValueError(f"unknown freedom {name!r}; known: {sorted(NAMES)} and sets {sorted(OPTION_SETS)}")
            out = replace(out, **NAMES[name])
    return out


def describe(f: Freedoms) -> str:
    default = Freedoms()
    return ", ".join(f"{x.name}={getattr(f, x.name)!r}" for x in fields(f) if getattr(f, x.name) != getattr(default, x.name))


class Transport:
    """The answering side of the freedoms for one app: which request gets a 429, which answer
    closes its connection, and the chunks of a body."""

    def __init__(self, f: Freedoms) -> None:
        self.f = f
        self.lock = threading.Lock()
        self.requests = 0
        self.throttled = 0
        self.answers: OrderedDict[tuple[str, str], int] = OrderedDict()  # per connection

    def retry_after(self) -> str | None:
        """The Retry-After of a 429 for this request, or None to serve it."""
        if not self.f.throttle_every:
            return None
        with self.lock:
            self.requests += 1
            if self.requests % self.f.throttle_every:
                return None
            self.throttled += 1
            return self.f.retry_after[(self.throttled - 1) % len(self.f.retry_after)]

    def closes(self, environ: dict[str, Any]) -> bool:
        """Whether this answer is the last one on its connection (every ``close_every``th)."""
        if not self.f.close_every:
            return False
        key = (str(environ.get("REMOTE_ADDR")), str(environ.get("REMOTE_PORT")))
        with self.lock:
            n = self.answers.pop(key, 0) + 1
            if n % self.f.close_every == 0:
                return True
            self.answers[key] = n
            while len(self.answers) > 4096:  # connections long gone (werkzeug's: one answer each)
                self.answers.popitem(last=False)
            return False

    def body(self, body: bytes, headers: list[tuple[str, str]], environ: dict[str, Any]) -> Iterable[bytes]:
        """The answer's body as the app returns it (headers changed in place)."""
        if self.closes(environ):
            headers.append(("Connection", "close"))
        if environ.get("REQUEST_METHOD") == "HEAD":
            return []
        if not self.f.chunked:
            return [body]
        headers[:] = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return _chunks(body)


def _chunks(body: bytes, pieces: int = 4) -> Iterator[bytes]:
    size = max(1, -(-len(body) // pieces))
    for i in range(0, len(body), size):
        yield body[i:i + size]
