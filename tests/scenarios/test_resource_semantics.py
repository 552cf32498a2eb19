"""M3 with the data a target file gives. Without ``resource_identifiers`` the file says only that the
profile's resource holds one of its subscriptions: each identifier may find the profile or nothing,
and one must find it. With it, each named identifier must find the profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from altcraft_contract.reference import server
from tests.suite import run_suite

TOKEN = "resource-semantics-token"


def _run(tmp_path: Path, fault: str, edit: Any, variant: str = "strict") -> tuple[int, set[str]]:
    import tomllib

    from altcraft_contract.reference import variants

    app = server.make_app(fault=fault, style=variants.VARIANTS[variant], tokens=frozenset({TOKEN}))
    with server.LoopbackServer(app) as srv:
        doc = tomllib.loads(server.target_toml(server.target_for(srv.base_url, "v74")))
        doc["target"]["error_http_status"] = "any"
        for profile in doc["data"]["profiles"]:
            edit(profile)
        path = tmp_path / "t.toml"
        import tomli_w

        path.write_text(tomli_w.dumps(doc), encoding="utf-8")
        proc = run_suite("--target", str(path), "--reports-dir", str(tmp_path), "-k", "resource_id and narrows",
                         env={"ALTCRAFT_API_TOKEN": TOKEN})
    results = json.loads((tmp_path / "results.json").read_text())
    failed = {f["clause"] for o in results["scenarios"] for f in o["failures"]}
    assert any("resource_id narrows" in o["id"] and o["status"] != "not run" for o in results["scenarios"])
    return proc.returncode, failed


def _unnamed(profile: dict[str, Any]) -> None:
    profile.pop("resource_identifiers", None)


def test_the_reference_data_names_what_each_resource_carries() -> None:
    """Both identifiers for most; for one, a resource whose subscription carries only another email
    (its own email and phone left out must find nothing there)."""
    rows = [r for r in server.data.target_profiles() if "resource_id" in r]
    kinds = [r["resource_identifiers"] for r in rows]
    assert kinds.count(["subscription_email"]) == 1 and kinds.count(["email", "phone"]) == len(rows) - 1


def _unnamed_with_email(profile: dict[str, Any]) -> None:
    _unnamed(profile)
    if "email" not in profile:
        profile.pop("resource_id", None)  # a phone-only profile's resource must find it by phone


@pytest.mark.parametrize("fault", ["none", "resource_id_breaks_phone"])
def test_without_the_key_a_phone_that_finds_nothing_is_allowed(tmp_path: Path, fault: str) -> None:
    # A resource whose subscription carries only the email is a correct server; the suite must not
    # tell it apart from one that loses phones, since the file does not say which it is.
    assert _run(tmp_path, fault, _unnamed_with_email) == (0, set())


@pytest.mark.parametrize("variant", ["strict", "not-found-400"])
def test_without_the_key_nothing_found_may_be_any_r5_code(tmp_path: Path, variant: str) -> None:
    # A phone the resource's subscription does not carry finds nothing; R5 leaves the code free
    # (the not-found-400 variant answers 400), and the email still finds the profile.
    def other_phone(profile: dict[str, Any]) -> None:
        _unnamed_with_email(profile)
        if "resource_id" in profile and "phone" in profile:
            profile["phone"] = "+70000000009"

    assert _run(tmp_path, "none", other_phone, variant) == (0, set())


def test_without_the_key_a_phone_only_profile_must_be_found_by_phone(tmp_path: Path) -> None:
    status, failed = _run(tmp_path, "resource_id_breaks_phone", _unnamed)
    assert status == 1 and failed == {"M3"}


def test_with_the_key_a_phone_that_finds_nothing_fails_m3(tmp_path: Path) -> None:
    status, failed = _run(tmp_path, "resource_id_breaks_phone", lambda p: None)
    assert status == 1 and failed == {"M3"}


def test_without_the_key_a_resource_that_finds_the_profile_by_nothing_fails_m3(tmp_path: Path) -> None:
    def wrong_resource(profile: dict[str, Any]) -> None:
        _unnamed(profile)
        if "resource_id" in profile:
            profile["resource_id"] = 4242  # holds none of its subscriptions, while the file says it does

    status, failed = _run(tmp_path, "none", wrong_resource)
    assert status == 1 and failed == {"M3"}


@pytest.mark.parametrize(("resource", "want"), [(25, (0, set())), (24, (1, {"M3"}))])
def test_a_resource_may_carry_the_subscription_email(tmp_path: Path, resource: int, want: Any) -> None:
    # The reference's first profile has its subscription-only email on resource 25 (its email and
    # phone on 24): named, it must find the profile there, and naming it for 24 is caught.
    def sub_email(profile: dict[str, Any]) -> None:
        if "subscription_email" in profile:
            profile["resource_id"], profile["resource_identifiers"] = resource, ["subscription_email"]

    assert _run(tmp_path, "none", sub_email) == want
