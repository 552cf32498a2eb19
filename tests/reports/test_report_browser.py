"""The HTML report in a real headless Chromium: it loads without console errors, shows the failing
clause's details, its result filters work (a "not covered" one too), and its header counts the
clauses not covered and not run beside those passed and failed. A screenshot is kept for people to
look at."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.suite import run_suite

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report")
    proc = run_suite("--fault", "xxh_seed_1", "--reports-dir", str(out))
    assert proc.returncode == 1, proc.stdout[-2000:]
    return out / "report.html"


@pytest.fixture(scope="module")
def page(report: Path) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: apt-get install -y chromium (.ci/run does this)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        pg = browser.new_page(viewport={"width": 1400, "height": 1600})
        errors: list[str] = []
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(report.as_uri())
        pg.errors = errors  # type: ignore[attr-defined]
        yield pg
        browser.close()


def test_report_is_one_self_contained_file(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "data:" not in html and "<link" not in html and "src=\"http" not in html


def test_loads_without_console_errors(page) -> None:  # type: ignore[no-untyped-def]
    assert page.errors == []
    assert page.inner_text("#verdict") == "FAIL"


def test_failing_clause_details_are_visible(page, report: Path) -> None:  # type: ignore[no-untyped-def]
    row = page.locator("#clause-D2")
    assert "failed" in row.inner_text()
    failure = page.locator("details.failure[data-clause=D2]").first
    assert failure.is_visible()
    text = failure.inner_text()
    assert "profile_xxh is not xxHash64(profile_id)" in text and "reproduce with" in text.lower() and "curl -sS" in text
    page.screenshot(path=str(report.with_name("report.png")), full_page=True)


def test_result_filter_hides_and_shows_rows(page) -> None:  # type: ignore[no-untyped-def]
    page.click("button[data-filter=failed]")
    assert not page.locator("#clause-T1").is_visible()
    assert page.locator("#clause-D2").is_visible()
    assert not page.locator("tr.family[data-family=Transport]").is_visible()  # no empty family headers
    assert page.locator('tr.family[data-family="Data on success"]').is_visible()
    page.click("button[data-filter=passed]")
    assert page.locator("#clause-T1").is_visible() and not page.locator("#clause-D2").is_visible()
    page.click("button[data-filter=all]")
    assert page.locator("#clause-T1").is_visible() and page.locator("#clause-D2").is_visible()


def test_not_covered_filter_shows_the_clauses_no_check_reached_with_why(page, report: Path) -> None:  # type: ignore[no-untyped-def]
    page.click("button[data-filter='not covered']")
    for cid in ("C2", "C3", "C4"):  # checked in C1's scenarios, which all stopped at the D2 failure first
        row = page.locator(f"#clause-{cid}")
        assert row.is_visible() and "not reached: an earlier check failed in every scenario that checks it (D2)" \
            in row.inner_text()
    assert not page.locator("#clause-D2").is_visible() and not page.locator("#clause-W1").is_visible()
    assert page.locator('tr.family[data-family="Consistency of the two reads"]').is_visible()
    assert not page.locator("tr.family[data-family=Transport]").is_visible()
    page.click("button[data-filter='not run']")
    w1 = page.locator("#clause-W1")  # a write clause with no scenario of its own: the writes' reason
    assert w1.is_visible() and "writes not allowed" in w1.inner_text()
    page.click("button[data-filter=all]")


def test_header_counts_clauses_by_result(page, report: Path) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(report.with_name("results.json").read_text(encoding="utf-8"))["clauses"]
    for result in ("passed", "failed", "not covered", "not run"):
        want = sum(r["result"] == result for r in rows)
        assert page.inner_text(f"#clause-counts [data-count='{result}'] b") == str(want), result
    assert page.inner_text("#clause-counts [data-count='not covered'] b") == "3"
    assert page.inner_text("#verdict-text").startswith("exit 1: contract failures in D2")
