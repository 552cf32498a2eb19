"""Scenarios of the input model's text dimension (``contract/inputs_text.py``): every class of the
JSON and XML texts, other HTTP methods and Content-Type forms, each sent once per read endpoint in
every profile (``quick`` included), all at once, each failure reported at the end."""

from __future__ import annotations

from ..contract import inputs, inputs_text
from ..contract.calls import Call, Expect, Format
from ..run import coverage
from ..run.session import Session
from .registry import ScenarioList

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
scenario = SCENARIOS.scenario

Row = tuple[str, str, Format, Call, Expect]  # coverage field, class, format, the call, its verdict


def send_rows(s: Session, rows: list[Row]) -> None:
    """Send every row at once, mark each in the coverage table with what its answer showed, then
    enforce every failure (one failing class does not hide the others)."""
    done = s.checked_all([(call, expect) for *_, call, expect in rows])
    for (field, cls, fmt, _, expect), (_, failures) in zip(rows, done, strict=True):
        failed = sorted({f.clause for f in failures})
        coverage.mark(s, field, cls, fmt, inputs.describe(expect), f"failed: {', '.join(failed)}" if failed else "held")
    s.enforce([f for _, failures in done for f in failures])


def text_rows(s: Session, classes: tuple[inputs_text.TextClass, ...]) -> list[Row]:
    return [(c.group, c.name, c.fmt, inputs_text.text_call(s.target, c), inputs_text.text_verdict(s.target, c))
            for c in classes]


@scenario("T2", "every class of the JSON text (RFC 8259): duplicates, depth, numbers, escapes, bytes, top level")
def json_texts(s: Session) -> None:
    send_rows(s, text_rows(s, inputs_text.JSON_CLASSES))


@scenario("X1", "every class of the XML text (XML 1.0): attributes, namespaces, PI, BOM, repeats, DOCTYPE")
def xml_texts(s: Session) -> None:
    send_rows(s, text_rows(s, inputs_text.XML_CLASSES))


@scenario("R6", "other HTTP methods and Content-Type forms")
def methods_and_media_types(s: Session) -> None:
    send_rows(s, text_rows(s, inputs_text.METHOD_CLASSES + inputs_text.CONTENT_TYPE_CLASSES))
