"""The preflight (run/preflight.py): a correct server always passes it; a refused token, an unknown
profile or relation stop the run with one line naming what to fix; its requests pass the gate."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from altcraft_contract.errors import IdentityUnknown, SuiteInputError, TargetUnreachable, TokenRefused
from altcraft_contract.reference import data, server, variants
from altcraft_contract.reference.server import LoopbackServer
from altcraft_contract.run.build import build_run
from tests.independent import server as independent

TOKEN = "preflight-token-0123456789"


@contextmanager
def reference_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, edit: dict[str, str] | None = None,
                     app: Any = None) -> Iterator[str]:
    """A target file for a loopback reference endpoint, its text changed by ``edit`` (old -> new)."""
    monkeypatch.setenv(server.TOKEN_ENV, TOKEN)
    with LoopbackServer(app or server.make_app(tokens=frozenset({TOKEN}))) as srv:
        text = server.target_toml(server.target_for(srv.base_url, "v74"))
        for old, new in (edit or {}).items():
            assert old in text
            text = text.replace(old, new)
        path = tmp_path / "target.toml"
        path.write_text(text, encoding="utf-8")
        yield str(path)


def stop_of(target: str, **kw: Any) -> SuiteInputError:
    with pytest.raises(SuiteInputError) as info:
        build_run(target_path=target, preflight=True, **kw).close()
    assert "\n" not in str(info.value)
    return info.value


@pytest.mark.parametrize(("variant", "api_version"), [*((v, "v74") for v in sorted(variants.VARIANTS)),
                                                      ("strict", "v72"), ("everything-else", "v72")])
def test_every_conformance_variant_passes_the_preflight(variant: str, api_version: str) -> None:
    run = build_run(transport="inprocess", variant=variant, api_version=api_version, preflight=True, writes=True)
    try:
        assert run.preflight is not None and run.preflight["ran"]
        verdicts = {r["verdict"] for r in run.preflight["reads"]}
        assert verdicts == {"found"}, run.preflight
        assert len(run.preflight["reads"]) == 2 * (len(data.PROFILES) + 1)  # both reads; the profiles and profile_a
        assert run.session.client.sent == len(run.preflight["reads"])  # through the gate, counted
    finally:
        run.close()


@pytest.mark.parametrize("style", ["a", "b"])
def test_an_independent_implementation_passes_the_preflight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             style: str) -> None:
    """It serves get_counter only: relations/get's 404 is "not available", never a stop."""
    monkeypatch.setenv("INDEPENDENT_TOKEN", independent.TOKEN)
    with LoopbackServer(independent.make_app("", style)) as srv:  # type: ignore[arg-type]
        path = tmp_path / "independent.toml"
        path.write_text((independent.TARGET_B if style == "b" else independent.TARGET).format(base_url=srv.base_url),
                        encoding="utf-8")
        run = build_run(target_path=str(path), preflight=True)
        run.close()
    assert run.preflight is not None
    assert {r["verdict"] for r in run.preflight["reads"] if r["endpoint"] == "get_counter"} == {"found"}
    assert {r["verdict"] for r in run.preflight["reads"] if r["endpoint"] == "get"} == {"not available"}
    assert "relations/get not available" in run.preflight["summary"]


def test_a_refused_token_names_the_variable_and_what_the_target_said(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with reference_target(tmp_path, monkeypatch, app=server.make_app(tokens=frozenset({"another-token-42"}))) as target:
        err = stop_of(target)
    assert isinstance(err, TokenRefused) and err.exit_status == 77
    assert "refused the token in ALTCRAFT_API_TOKEN" in str(err) and "error 403 'No access rights'" in str(err)
    assert err.preflight is not None and len(err.preflight["reads"]) == 1  # the rest would be refused too


def test_a_misspelt_profile_is_named_with_the_file_and_how_to_tell_a_typo(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    typo = data.A3[:-1] + "1"
    with reference_target(tmp_path, monkeypatch, edit={data.A3: typo}) as target:
        err = stop_of(target)
    assert isinstance(err, IdentityUnknown) and err.exit_status == 67
    text = str(err)
    assert f"profile {typo} of [[data.profiles]]" in text and target in text and "finds the others" in text
    assert "check the id in the platform's UI" in text and "--skip-preflight" in text
    assert data.A1 not in text


def test_an_unknown_relation_is_told_apart_from_one_unknown_profile(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with reference_target(tmp_path, monkeypatch, edit={"rel_id = 3\nunknown": "rel_id = 4\nunknown"}) as target:
        err = stop_of(target)
    assert isinstance(err, IdentityUnknown)
    assert "finds none of the profiles" in str(err) and "rel_id 4 or the profile ids are unknown" in str(err)


def test_the_writes_profile_a_is_read_only_with_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    typo = "5c910f6bc484d023b1309bf9"
    with reference_target(tmp_path, monkeypatch, edit={data.A5: typo}) as target:
        build_run(target_path=target, preflight=True).close()  # without --writes it is not read
        err = stop_of(target, writes=True)
    assert isinstance(err, IdentityUnknown) and f"[writes] profile_a {typo} (" in str(err)


def test_an_unreachable_target_is_still_69(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with reference_target(tmp_path, monkeypatch) as target:
        err = stop_of(target, base_url="http://127.0.0.1:9")
    assert isinstance(err, TargetUnreachable) and err.exit_status == 69


def test_only_the_selected_endpoints_are_read_and_the_budget_holds(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with reference_target(tmp_path, monkeypatch) as target:
        run = build_run(target_path=target, preflight=True, selected=("get_counter",))
        run.close()
        assert run.preflight is not None and {r["endpoint"] for r in run.preflight["reads"]} == {"get_counter"}
        short = build_run(target_path=target, preflight=True, request_budget=3)
        short.close()
    assert short.preflight is not None and len(short.preflight["reads"]) == 3
    assert "budget" in (short.preflight["cut_short"] or "") and short.session.client.gate.budget_spent


class Echoing:
    """Refuses every token and echoes it back in error_text, JSON-escaped and as is."""

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        body = json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)) or b"{}")
        text = f"token \x1b[31m{body.get('token')}\x1b[0m is not valid\n::error::forged"
        start_response("401 Unauthorized", [("Content-Type", "application/json")])
        return [json.dumps({"error": 401, "error_text": text, "data": None}).encode()]


def test_a_target_echoing_the_token_does_not_get_it_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with reference_target(tmp_path, monkeypatch, app=Echoing()) as target:
        err = stop_of(target)
    text = str(err)
    assert isinstance(err, TokenRefused) and TOKEN not in text and "<redacted>" in text
    assert "\x1b" not in text and "\\x1b" in text and "\n" not in text
    assert TOKEN not in json.dumps(err.preflight)
