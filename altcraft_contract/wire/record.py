"""What a report keeps of one exchange: bounded, escaped-later, with the token masked everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from .client import Exchange
from .redact import cut, redact

BODY_LIMIT = 4000  # characters of a body kept in a record
# A curl line repeats our own request body, which the input model makes up to ~100 kB long (the
# oversized-value classes): past this it is kept cut, so reports stay bounded however many fail.
CURL_LIMIT = 16000



@dataclass(frozen=True)
class ExchangeRecord:
    """A request and its answer as reports show them; the token is already a placeholder."""

    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str
    status: int | None
    response_headers: dict[str, str]
    response_body: str
    curl: str
    elapsed_ms: float

    @classmethod
    def of(cls, ex: Exchange) -> ExchangeRecord:
        """What a report keeps of ``ex``: bodies cut to BODY_LIMIT (with the full length), headers
        cut, and the token masked everywhere, also where the target echoed it."""
        head = ex.body[: BODY_LIMIT * 4]
        body = head.decode("utf-8", errors="replace")
        size = ex.body_size if ex.body_size is not None else len(ex.body)
        shown = cut(body, BODY_LIMIT)
        if len(body) <= BODY_LIMIT and size > len(head):
            shown += f"… [cut: {size} bytes in all]"
        elif ex.truncated:
            shown += f" [the suite stopped reading after {size} bytes]"
        headers = {redact(cut(k, 200)): redact(cut(v, 500)) for k, v in list(ex.response_headers.items())[:100]}
        return cls(ex.call.method, redact(ex.url), {k: redact(v) for k, v in ex.request_headers.items()},
                   redact(cut(ex.request_body, BODY_LIMIT)), ex.status, headers, redact(shown), redact(cut(ex.curl, CURL_LIMIT)),
                   round(ex.elapsed * 1000, 2))
