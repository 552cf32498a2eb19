"""T: the bytes and headers of an answer."""

from __future__ import annotations

from collections.abc import Iterator

from ..contract.target import Target
from ..wire.client import Exchange
from .base import fail, media_type
from .failures import Failure
from .registry import CheckList

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check

_MEDIA = {"json": "application/json", "xml": "application/xml"}


@check("T1", stage=0)
def answer_is_utf8(ex: Exchange, target: Target) -> Iterator[Failure]:
    """The answer body decodes as UTF-8."""
    if ex.text is None:
        yield fail(ex, "T1", "answer_is_utf8", "The answer is not UTF-8",
                   ex.parse_error or "the body does not decode as UTF-8",
                   received=ex.body[:80].hex(" "), expected="UTF-8 text")


@check("T4", stage=0, applies=lambda ex: ex.expect.clause != "R6" and (ex.status or 0) < 500)
def content_type_names_the_format(ex: Exchange, target: Target) -> Iterator[Failure]:
    """The answer's Content-Type is application/json or application/xml, as the format asked."""
    want = _MEDIA[ex.call.answer]
    got = media_type(ex.content_type)
    if got != want:
        yield fail(ex, "T4", "content_type_names_the_format", "Content-Type does not match the format asked for",
                   f"format={ex.call.answer} was asked for", received=ex.content_type or "(none)", expected=want)
