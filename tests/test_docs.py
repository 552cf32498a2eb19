"""The README is a landing page that points at docs/, and every relative link in the project's
Markdown resolves: to a file that exists and, with a #fragment, to a heading it has."""

from __future__ import annotations

import re
from pathlib import Path

from tests.suite import ROOT

PAGES = [ROOT / "README.md", ROOT / "ARCHITECTURE.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def slugs(page: Path) -> set[str]:
    """GitHub's anchors: a heading lower-cased, punctuation dropped, spaces as hyphens."""
    out = set()
    for line in page.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"#{1,6} (.+)", line):
            out.add(re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-"))
    return out


def broken(page: Path) -> list[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)  # code is not links
    bad = []
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # an absolute URL: not checked offline
        path, _, fragment = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists() or (fragment and fragment not in slugs(dest)):
            bad.append(target)
    return bad


def test_every_relative_link_resolves() -> None:
    assert {p.name: broken(p) for p in PAGES if broken(p)} == {}


def test_the_readme_is_a_landing_page_that_links_every_docs_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 250
    linked = {t.split("#")[0] for t in LINK.findall(readme)}
    assert {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")} <= linked


def test_the_link_checker_finds_a_broken_link(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Title here\n[ok](a.md#title-here) [no](b.md) [frag](a.md#nope)\n")
    assert broken(tmp_path / "a.md") == ["b.md", "a.md#nope"]
