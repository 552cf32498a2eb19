"""The exits: every string that leaves the process passes here first.

Three duties, each for a different kind of harm:
- ``redact``: the token never leaves, in any encoding a report could carry it (plain,
  URL-encoded, JSON- or XML-escaped), also when the target echoes it back inside an answer;
- ``safe``: text the target controls cannot drive a terminal (ANSI escapes, carriage returns) or a
  CI runner (a line starting ``::error::`` or ``##vso[``) once printed;
- ``bounded``: a stored value never grows with the target's answer; a cut says so and gives
  the full length.

The secrets live in one module-level set, filled when a run learns its token, so every exit
(terminal, JUnit, HTML, JSON, logs, tracebacks) can reach it without being handed it.
"""

from __future__ import annotations

import html
import json
import re
import threading
from typing import Any
from urllib.parse import quote, quote_plus
from xml.sax.saxutils import escape as xml_escape

from ..contract import numbers

MASK = "<redacted>"
TEXT_LIMIT = 2000  # characters of a stored message or received value


class _Known:
    """The secrets of this process and one pattern matching any of their forms."""

    lock = threading.Lock()
    secrets: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None


def _forms(secret: str) -> set[str]:
    """The spellings of ``secret`` an output could hold: as is, URL-encoded, HTML- and XML-escaped,
    and each of those JSON-escaped (a report stores them inside JSON strings)."""
    base = {secret, quote(secret, safe=""), quote(secret), quote_plus(secret), html.escape(secret),
            html.escape(secret, quote=False), xml_escape(secret)}
    forms = set(base)
    for f in base:
        forms |= {json.dumps(f)[1:-1], json.dumps(f, ensure_ascii=False)[1:-1]}
    return {f for f in forms if f}


def add_secret(secret: str) -> None:
    """Never let ``secret`` (or an encoding of it) out; short strings are refused as secrets
    because masking them would mangle ordinary text."""
    if len(secret.strip()) < 6:
        return
    with _Known.lock:
        known = set(_Known.secrets) | _forms(secret)
        _Known.secrets = tuple(sorted(known, key=len, reverse=True))
        _Known.pattern = re.compile("|".join(re.escape(s) for s in _Known.secrets))


def clear_secrets() -> None:
    with _Known.lock:
        _Known.secrets, _Known.pattern = (), None


def redact(text: str) -> str:
    """``text`` with every known secret masked."""
    pattern = _Known.pattern
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)



# C0 and C1 controls except newline and tab, DEL, and the Unicode line/paragraph separators and
# bidi overrides that can make a terminal line read other than it is.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Workflow commands of GitHub Actions (``::error::``) and Azure Pipelines (``##vso[``), at the start
# of a line after optional blanks: a runner obeys them in a log.
_CI_COMMAND = re.compile(r"(?m)^([ \t]*)(::|##\[|##vso\[)")


def _escape_char(m: re.Match[str]) -> str:
    c = ord(m.group(0))
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def safe(text: str, *, one_line: bool = False) -> str:
    """Redacted ``text`` that is inert in a terminal and in a CI log; ``one_line`` also escapes
    newlines (for text the target controls inside a line of ours)."""
    text = _CONTROL.sub(_escape_char, redact(text))
    if one_line:
        text = text.replace("\n", "\\n").replace("\t", "\\t")
    return _CI_COMMAND.sub(lambda m: m.group(1) + "\u200b" + m.group(2), text)


def cut(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` up to ``limit`` characters, with a marker giving its full length when cut."""
    if len(text) <= limit:
        return text
    return text[:limit] + f"… [cut: {len(text)} characters in all]"


def bounded(value: Any, limit: int = TEXT_LIMIT) -> Any:
    """``value`` itself when small, else its JSON text cut to ``limit`` (a value stored for a
    report must not grow with the answer it came from). Secrets are masked either way."""
    value = numbers.plain(value)  # exact numbers (C3, S1) as JSON's own
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return redact(cut(value, limit * 2)) if len(value) > limit else redact(value)
    if isinstance(value, bytes):
        return bounded(value[: limit * 4].decode("utf-8", errors="replace"), limit)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    if len(text) <= limit and (_Known.pattern is None or not _Known.pattern.search(text)):
        return value
    if len(text) <= limit:
        try:
            return json.loads(redact(text))
        except ValueError:
            return redact(text)
    return redact(cut(text, limit))
