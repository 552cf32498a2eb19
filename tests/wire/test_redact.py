"""The exits' filters: secrets masked in every encoding, target text made inert, stored values bounded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from altcraft_contract.checks.failures import Failure
from altcraft_contract.wire import redact

SECRET = "s3cr3t/tok+en\"x"


@pytest.fixture(autouse=True)
def secret() -> Iterator[None]:
    redact.add_secret(SECRET)
    yield
    redact.clear_secrets()


@pytest.mark.parametrize("form", [SECRET, quote(SECRET, safe=""), json.dumps(SECRET)[1:-1], "s3cr3t/tok+en&quot;x"])
def test_every_encoding_of_the_token_is_masked(form: str) -> None:
    assert redact.redact(f"before {form} after") == "before <redacted> after"


def test_short_strings_are_never_taken_for_secrets() -> None:
    redact.add_secret("ab")
    assert redact.redact("ab cab") == "ab cab"


def test_target_text_cannot_drive_a_terminal_or_a_ci_runner() -> None:
    text = "\x1b[2J\x1b[Hfake\r63 passed\n::error::owned\n  ##vso[task.complete]\u202eevil"
    shown = redact.safe(text)
    assert "\x1b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert all(not line.lstrip().startswith(("::", "##vso[")) for line in shown.splitlines())
    assert "\n" not in redact.safe(text, one_line=True)


def test_bounded_values_keep_their_full_length_in_the_marker() -> None:
    big = "x" * 50_000
    cut = redact.bounded(big)
    assert len(cut) < 5_000 and "50000 characters in all" in cut
    nested = redact.bounded({"data": ["y" * 10_000]})
    assert isinstance(nested, str) and "characters in all" in nested
    assert redact.bounded({"a": 1}) == {"a": 1}
    assert redact.bounded({"echo": SECRET}) == {"echo": "<redacted>"}


def test_a_failure_is_bounded_and_redacted_when_it_is_made() -> None:
    f = Failure("E3", "c", "t", f"the target said {SECRET}", received="z" * 100_000, expected=[SECRET])
    assert SECRET not in json.dumps([f.message, f.received, f.expected])
    assert len(f.received) < 5_000
