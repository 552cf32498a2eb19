"""``altcraft-contract init``: the file it writes loads with the suite's loader and runs green against
a conformant server (v74 and v72, and a variant whose free choices differ); it never holds the
token; every problem is one line and its own exit status."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from altcraft_contract.contract.target import load_target
from altcraft_contract.frontends.cli import main
from altcraft_contract.reference import data, server, variants
from altcraft_contract.reference.server import LoopbackServer
from tests.independent import server as independent
from tests.suite import ROOT, run_suite

DEMO_TOKEN = next(iter(data.VALID_TOKENS))
CANARY = "canary-init-5e2b7d19a04c"
ENV = "ALTCRAFT_API_TOKEN"
B_OF_A1 = [link.b_profile_id for link in data.links_of(3, data.A1)]


@contextmanager
def reference(api_version: str = "v74", variant: str = "strict", token: str = DEMO_TOKEN) -> Iterator[str]:
    with LoopbackServer(server.make_app(api_version, style=variants.VARIANTS[variant], tokens=frozenset({token}))) as srv:
        yield srv.base_url


def init_args(base_url: str, output: Path, *extra: str) -> list[str]:
    ids = [arg for p in data.PROFILES for arg in ("--profile-id", p.profile_id)]
    return ["init", "--base-url", base_url, "--token-env", ENV, "--rel-id", "3", *ids, "--output", str(output), *extra]


IDENTIFIERS = ("--email", "john@example.com", "--email", "j.sub@example.com", "--email", "oleg@example.com",
               "--phone", "+79000000004")


def command(*args: str, token: str | None = DEMO_TOKEN) -> subprocess.CompletedProcess[str]:
    """``python -m altcraft_contract ARGS`` as a user runs it, the token in its variable."""
    env = {k: v for k, v in os.environ.items() if k != ENV}
    if token is not None:
        env[ENV] = token
    return subprocess.run([sys.executable, "-m", "altcraft_contract", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


@pytest.mark.parametrize("api_version", ["v74", "v72"])
def test_the_file_init_writes_runs_green_against_the_reference(tmp_path: Path, api_version: str) -> None:
    out = tmp_path / "staging.toml"
    with reference(api_version) as base_url:
        made = command(*init_args(base_url, out, *IDENTIFIERS))
        assert made.returncode == 0, made.stderr
        assert made.stdout.count("\n") == 1 and f"wrote {out}" in made.stdout and made.stderr == ""
        target = load_target(out)
        proc = run_suite("--target", str(out), "--reports-dir", str(tmp_path), env={ENV: DEMO_TOKEN})
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert (target.api_version, target.error_http_status, target.rel_id, target.token_env) == (api_version, "200", 3, ENV)
    by_id = {p.profile_id: p for p in target.profiles}
    assert list(by_id) == [p.profile_id for p in data.PROFILES]
    a1 = by_id[data.A1]
    assert (a1.email, a1.subscription_email, a1.phone) == ("john@example.com", "j.sub@example.com", None)
    assert by_id[data.A4].phone == "+79000000004" and by_id[data.A3].email == "oleg@example.com"
    text = out.read_text(encoding="utf-8")
    assert target.writes is None and "# [writes]" in text and all(b in text for b in B_OF_A1)
    assert "# phone = " in text and "# field_name = " in text  # placeholders for what only the user knows


def test_a_variant_with_other_free_choices_and_a_canary_token(tmp_path: Path) -> None:
    """Mirrored statuses with a not-found code that is no 4xx (the second probe decides), reversed
    keys, XML declarations, null data: learned right, so the suite passes; the token is nowhere."""
    out = tmp_path / "staging.toml"
    with reference(variant="everything-else", token=CANARY) as base_url:
        made = command(*init_args(base_url, out, *IDENTIFIERS), token=CANARY)
        assert made.returncode == 0, made.stderr
        proc = run_suite("--target", str(out), "--reports-dir", str(tmp_path), env={ENV: CANARY})
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert load_target(out).error_http_status == "mirror"
    texts = [made.stdout, made.stderr, out.read_text(encoding="utf-8"), proc.stdout, proc.stderr]
    assert not [t for t in texts if CANARY in t]


def test_a_deployment_without_relations_get_gets_a_file_that_says_so(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INDEPENDENT_TOKEN", independent.TOKEN)
    out = tmp_path / "independent.toml"
    with LoopbackServer(independent.make_app("", "a")) as srv:  # type: ignore[arg-type]
        status = main(["init", "--base-url", srv.base_url, "--token-env", "INDEPENDENT_TOKEN", "--rel-id", "9",
                       "--profile-id", "aaaaaaaaaaaaaaaaaaaaaa01", "--email", "ann@shop.test", "--output", str(out)])
    assert status == 0
    target = load_target(out)
    # Its errors: 404 with HTTP 200, 400 with HTTP 400; "any" is the only setting both fit.
    assert target.error_http_status == "any" and target.api_version == "v74"
    assert "not available on this deployment" in out.read_text(encoding="utf-8")


def one_line_exit(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("altcraft-contract: "), err
    return int(info.value.code or 0), err


def test_problems_are_one_line_each_with_their_own_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.toml"
    monkeypatch.delenv(ENV, raising=False)
    with reference() as base_url:
        cases: list[tuple[list[str], dict[str, Any], int, str]] = [
            (init_args(base_url, out), {}, 78, f"the token variable {ENV} is not set"),
            (init_args(base_url, out), {ENV: "wrong-token-abcdef"}, 77, f"refused the token in {ENV}"),
            (init_args("http://127.0.0.1:9", out), {ENV: DEMO_TOKEN}, 69, "unreachable"),
            (init_args(base_url, out, "--profile-id", "5c910f6bc484d023b1309bef"), {ENV: DEMO_TOKEN}, 67,
             "does not know --profile-id 5c910f6bc484d023b1309bef under --rel-id 3"),
            ([a.replace("3", "8") if a == "3" else a for a in init_args(base_url, out)], {ENV: DEMO_TOKEN}, 67,
             "finds none of the --profile-id under --rel-id 8"),
            (init_args(base_url, out, "--email", "nobody@example.com"), {ENV: DEMO_TOKEN}, 67,
             "finds no profile by --email 'nobody@example.com'"),
            (["init", "--base-url", base_url, "--token-env", ENV, "--rel-id", "3", "--profile-id", data.A1,
              "--phone", "+79000000004", "--output", str(out)], {ENV: DEMO_TOKEN}, 65,
             f"finds profile {data.A4}, which no --profile-id names"),
            (init_args(base_url, out, "--profile-id", "5C910F6BC484D023B1309BEE"), {ENV: DEMO_TOKEN}, 65,
             "is not 24 lowercase hex digits"),
            (["init", "--base-url", base_url], {}, 65, "init: the following arguments are required"),
        ]
        for args, env, status, words in cases:
            for k, v in env.items():
                monkeypatch.setenv(k, v)
            got, line = one_line_exit(args, capsys)
            assert (got, words in line) == (status, True), line
            monkeypatch.delenv(ENV, raising=False)
        assert not out.exists()  # nothing is written when a check fails


def test_the_token_pasted_as_token_env_is_refused_and_not_echoed(capsys: pytest.CaptureFixture[str],
                                                                  tmp_path: Path) -> None:
    args = init_args("http://127.0.0.1:9", tmp_path / "t.toml")
    args[args.index("--token-env") + 1] = "d3adb33f-token-in-the-wrong-place"
    status, line = one_line_exit(args, capsys)
    assert status == 65 and "not the token" in line and "d3adb33f" not in line


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "t.toml"
    out.write_text("# mine\n", encoding="utf-8")
    monkeypatch.setenv(ENV, DEMO_TOKEN)
    with reference() as base_url:
        status, line = one_line_exit(init_args(base_url, out), capsys)
        assert status == 73 and "--force" in line and out.read_text(encoding="utf-8") == "# mine\n"
        assert main(init_args(base_url, out, "--force")) == 0
    assert load_target(out).profiles[0].profile_id == data.A1
