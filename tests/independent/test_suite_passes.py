"""The suite against an independent implementation of the contract (tests/independent/server.py):
the correct one passes; each deliberately broken one fails, with the right clause named."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from altcraft_contract.reference.server import LoopbackServer
from tests.independent import server as independent
from tests.suite import run_suite


def run_against(tmp_path: Path, broken: str = "", style: str = "a", *, writes: bool = False,
                tests: str = "contract_tests") -> tuple[int, str]:
    app = independent.make_app(broken, style, relations_get=writes)
    with LoopbackServer(app) as srv:  # type: ignore[arg-type]
        target = tmp_path / "independent.toml"
        if writes:
            text = independent.TARGET_B_WRITES if style == "b" else independent.TARGET_WRITES
        else:
            text = independent.TARGET_B if style == "b" else independent.TARGET
        target.write_text(text.format(base_url=srv.base_url), encoding="utf-8")
        proc = run_suite("--target", str(target), "--reports-dir", str(tmp_path), *(["--writes"] if writes else []),
                         env={"INDEPENDENT_TOKEN": independent.TOKEN}, tests=tests)
    return proc.returncode, proc.stdout


@pytest.mark.parametrize("style", ["a", "b"])
def test_a_correct_independent_implementation_passes(tmp_path: Path, style: str) -> None:
    status, out = run_against(tmp_path, style=style)
    assert status == 0, out[-6000:]
    # It implements get_counter only: relations/get is one "not available" verdict, not failures.
    assert re.search(r"/api/v1\.1/relations/get +not available +relations/get is not available", out), out[-6000:]


@pytest.mark.parametrize(("broken", "clause"), [("top_unsorted", "[D6]"), ("xxh_of_email", "[D2]"),
                                                ("any_token", "R3"), ("matching_crash", "R4")])
@pytest.mark.parametrize("style", ["a", "b"])
def test_a_broken_independent_implementation_fails(tmp_path: Path, broken: str, clause: str, style: str) -> None:
    status, out = run_against(tmp_path, broken, style)
    assert status == 1 and clause in out, out[-3000:]


@pytest.mark.parametrize("style", ["a", "b"])
def test_a_correct_independent_implementation_of_the_writes_passes(tmp_path: Path, style: str) -> None:
    """Its writes make other free choices (a missing link's detach refused, zeros dropped, exact
    decimals, attach at another path, attach on a link refused): the suite passes them all."""
    status, out = run_against(tmp_path, style=style, writes=True)
    assert status == 0, out[-6000:]
    for clause in ("W1", "W3", "W4", "W5", "W6", "W7", "W8", "S1", "S2", "S3"):
        assert re.search(rf"\n  {clause} +passed", out), (clause, out[-4000:])


@pytest.mark.parametrize(("broken", "clause"), sorted(independent.WRITE_DEFECTS.items()))
def test_a_broken_independent_implementation_of_the_writes_fails(tmp_path: Path, broken: str, clause: str) -> None:
    status, out = run_against(tmp_path, broken, writes=True, tests="contract_tests/test_writes.py")
    assert status == 1 and re.search(rf"\n  {clause} +failed", out), out[-4000:]
