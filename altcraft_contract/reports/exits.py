"""Where text leaves a pytest run, and the redaction layer put in front of each exit.

- the terminal: pytest's terminal writer writes through ``RedactingFile``;
- test reports (what the terminal, JUnit and xdist carry): ``sanitize_report`` turns the long
  representation (tracebacks from any library, ``-l`` locals, ``-vv`` diffs) and the captured
  sections into redacted, control-free text;
- logging: a record factory redacts every message at its creation, whoever logs it;
- files: ``scrub_file`` rewrites a written file (JUnit) through the same filter.

Reports of our own (results.json, report.html) are built from data already redacted at its
source (``wire/record.py``, ``checks/failures.py``) and pass ``redact`` once more when written.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, TextIO

import pytest

from ..wire.redact import redact, safe


class RedactingFile:
    """A text stream that masks secrets in everything written to it (colour codes pass: they are
    the terminal writer's own, and target text reaches it already escaped)."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(redact(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def guard_terminal(config: pytest.Config) -> None:
    """Route the terminal reporter's output through RedactingFile (once)."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    tw = getattr(reporter, "_tw", None)
    if tw is not None and not isinstance(tw._file, RedactingFile):
        tw._file = RedactingFile(tw._file)


def sanitize_report(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Make a report safe to print and to store: redacted, escaped, no CI commands."""
    if isinstance(report.longrepr, tuple):  # a skip: (path, line, reason)
        path, line, reason = report.longrepr
        report.longrepr = (path, line, safe(reason))
    elif report.longrepr is not None:
        report.longrepr = safe(str(report.longrepr))
    report.sections = [(safe(title), safe(content)) for title, content in report.sections]
    if isinstance(report, pytest.TestReport) and report.user_properties:
        report.user_properties = [(safe(str(k)), safe(str(v))) for k, v in report.user_properties]


def guard_logging() -> None:
    """Mask secrets in every log record as it is made (captured logs, live logs, handlers)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "altcraft_redacts", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is left for logging to report as it would
            return record
        record.msg, record.args = safe(message), None
        return record

    factory.altcraft_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def scrub_file(path: str | Path) -> None:
    """Rewrite a report file with every secret masked (no-op when it does not exist)."""
    p = Path(path)
    if not p.is_file():
        return
    text = p.read_text(encoding="utf-8", errors="replace")
    clean = redact(text)
    if clean != text:
        p.write_text(clean, encoding="utf-8")
