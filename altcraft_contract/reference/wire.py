"""The reference's free choices on the wire, beside its answers' content (``render.py``): a 429
with Retry-After, an answer body in chunks (no Content-Length, so a server sends it chunked), and
failure texts that echo what the request sent, bounded and made printable."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from werkzeug.wrappers import Response

from .incoming import Incoming

ECHOED = ("token", "rel_id", "matching", "email", "phone", "profile_id", "field_name", "field_value", "resource_id")
ECHO_LIMIT = 40  # characters of each value


def too_many(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """HTTP 429 with an envelope and Retry-After: 0 (retry at once)."""
    body = json.dumps({"error": 429, "error_text": "Too many requests"}).encode()
    resp = Response(body, status=429, content_type="application/json", headers={"Retry-After": "0"})
    return resp(environ, start_response)


def chunks(body: bytes) -> Iterator[bytes]:
    """The body in two pieces, as a generator: the server cannot know its length in advance."""
    half = len(body) // 2
    yield body[:half]
    yield body[half:]


def _printable(value: Any) -> str:
    """A value as its text (the same for a JSON and an XML request), control characters and lone
    surrogates written as \\uXXXX, cut to ECHO_LIMIT characters."""
    text = "" if value is None else ("true" if value else "false") if isinstance(value, bool) else str(value)
    cut = text[:ECHO_LIMIT] + ("…" if len(text) > ECHO_LIMIT else "")
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in cut)


def echo(inc: Incoming) -> str:
    """What the request sent, for a failure text: the token and the request's fields."""
    sent = {"token": inc.token, **inc.fields}
    return "(received: " + ", ".join(f"{k}={_printable(sent[k])}" for k in ECHOED if sent.get(k) is not None) + ")"
