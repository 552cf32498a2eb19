"""Shared fixtures for the project's own tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from altcraft_contract.run.build import Run, build_run
from tests.hostile_runs import shared_run  # noqa: F401  (a session fixture the hostile tests share)

SPEC = Path(__file__).resolve().parent.parent.parent / "shared" / "spec" / "get_counter-v72.txt"
FACTS = SPEC.with_name("altcraft-api-facts.md")


def json_blocks(text: str) -> list[str]:
    return re.findall(r"```json\n(.*?)```", text, flags=re.S)


@pytest.fixture
def inprocess_run() -> Iterator[Run]:
    run = build_run(transport="inprocess", hypothesis_profile="quick", check_reachable=False)
    yield run
    run.close()
