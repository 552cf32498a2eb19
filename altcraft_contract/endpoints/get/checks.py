"""G: relations/get's answers, one at a time (G1-G6). They read only relations/get's answers (their
clauses name it), by schema (G1, G2, G5 via x-clause) and by meaning (G2's hashes, G3, G4, G6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from xml.etree.ElementTree import Element

import xxhash

from ... import endpoints
from ...checks.base import fail
from ...checks.failures import Failure
from ...checks.registry import CheckList
from ...checks.xml import is_xml_answer, root_of
from ...contract import schemas
from ...contract.target import Target
from ...wire.client import Exchange
from . import consistency

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check
ALSO = (consistency,)  # the relational C checks, listed before the G ones

LINK_IDS = ("profile_id_a", "profile_id_b")


def _is_success(ex: Exchange) -> bool:
    return bool(ex.error_code == 0)


def _violations(ex: Exchange, clause: str) -> Iterator[schemas.Violation]:
    if "get-success" not in ex.scratch:
        ex.scratch["get-success"] = list(schemas.violations(endpoints.GET.success("v74"), ex.envelope, "G1"))
    found: list[schemas.Violation] = ex.scratch["get-success"]
    return (v for v in found if v.clause == clause)


def _links(ex: Exchange) -> list[dict[str, Any]]:
    data = ex.data
    return [link for link in data if isinstance(link, dict)] if isinstance(data, list) else []


@check("G1", applies=_is_success)
def links_envelope_shape(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Success: data is an array of link objects and total_count an integer >= 0 beside it."""
    for v in _violations(ex, "G1"):
        yield fail(ex, "G1", "links_envelope_shape", "Malformed relations/get success", v.message,
                   received=v.value, path=v.path)


@check("G2", applies=_is_success)
def link_fields_and_hashes(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A link has both ids (24 lowercase hex), xxh_a/xxh_b = xxHash64 (seed 0) of them, db_b, props."""
    found = list(_violations(ex, "G2"))
    for v in found:
        yield fail(ex, "G2", "link_fields_and_hashes", "Malformed link", v.message, received=v.value, path=v.path)
    if found:
        return  # a malformed id is reported above; hashing it proves nothing more
    for i, link in enumerate(_links(ex)):
        for side in ("a", "b"):
            pid = link[f"profile_id_{side}"]
            want = xxhash.xxh64_hexdigest(pid.encode("ascii"))
            if link[f"xxh_{side}"] != want:
                yield fail(ex, "G2", "link_fields_and_hashes", f"xxh_{side} is not xxHash64(profile_id_{side})",
                           f"xxHash64 of {pid!r} (seed 0) differs", received=link[f"xxh_{side}"], expected=want,
                           path=f"$.data[{i}].xxh_{side}")


@check("G3", applies=_is_success)
def links_of_the_matched_profile(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Every link's profile_id_a is the matched profile; no two links name the same profile_id_b."""
    links = _links(ex)
    wanted = ex.expect.profile_id if ex.expect.outcome in ("success", "found_or_none") else None
    a_ids = {str(link.get("profile_id_a")).lower() for link in links}
    if wanted and a_ids - {wanted}:
        yield fail(ex, "G3", "links_of_the_matched_profile", "A link belongs to another profile",
                   "profile_id_a is not the profile the identifiers name", received=sorted(a_ids),
                   expected=wanted, path="$.data[].profile_id_a")
    elif not wanted and len(a_ids) > 1:
        yield fail(ex, "G3", "links_of_the_matched_profile", "Links of several A profiles",
                   "one answer lists the links of one A profile", received=sorted(a_ids), path="$.data[].profile_id_a")
    b_ids = [link.get("profile_id_b") for link in links]
    twice = sorted({str(b) for b in b_ids if b_ids.count(b) > 1})
    if twice:
        yield fail(ex, "G3", "links_of_the_matched_profile", "A B profile is listed twice",
                   "one link per pair and relation", received=twice, path="$.data[].profile_id_b")


@check("G4", applies=_is_success)
def total_count_is_the_number_of_links(ex: Exchange, target: Target) -> Iterator[Failure]:
    """total_count equals the number of links (no paging is documented); no links is [] and 0."""
    data, count = ex.data, ex.envelope.get("total_count")
    if isinstance(data, list) and isinstance(count, int) and not isinstance(count, bool) and count != len(data):
        yield fail(ex, "G4", "total_count_is_the_number_of_links", "total_count is not the number of links",
                   f"{len(data)} link(s) listed", received=count, expected=len(data), path="$.total_count")


@check("G5", applies=_is_success)
def property_values_are_numbers_or_booleans(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A property's value is a number or a boolean."""
    for v in _violations(ex, "G5"):
        yield fail(ex, "G5", "property_values_are_numbers_or_booleans", "A property value is neither a number "
                   "nor a boolean", v.message, received=v.value, path=v.path)


def _wrapped_links(root: Element) -> list[str]:
    """<data> elements that hold links inside another element instead of being the link."""
    return [f"/xml/data/{child.tag}" for el in root.findall("data") for child in el
            if any(child.find(name) is not None for name in LINK_IDS)]


@check("G6", stage=1, applies=lambda ex: is_xml_answer(ex) and _is_success(ex))
def xml_links_are_repeated_data(ex: Exchange, target: Target) -> Iterator[Failure]:
    """XML: each link is one <data> under <xml> (repeated), and total_count is a child of <xml>."""
    root = root_of(ex)
    if root is None or root.tag != "xml":
        return  # X1 reports it
    for path in _wrapped_links(root):
        yield fail(ex, "G6", "xml_links_are_repeated_data", "Links are wrapped inside <data>",
                   "G6: each link is its own <data> element under <xml>", path=path,
                   expected="<data><profile_id_a>…</profile_id_a>…</data><data>…</data>")
    if root.find("total_count") is None and root.find(".//total_count") is not None:
        yield fail(ex, "G6", "xml_links_are_repeated_data", "total_count is not a child of <xml>",
                   "G6: total_count is a sibling of the <data> elements", path="/xml//total_count",
                   expected="<xml><data>…</data><total_count>…</total_count></xml>")


ENVELOPE_FIELDS = frozenset({"error", "error_text", "data", "total_count"})
LINK_FIELDS = frozenset({"profile_id_a", "xxh_a", "profile_id_b", "xxh_b", "db_b", "props"})


@check("G2", applies=_is_success)
def undocumented_link_fields_listed(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Fields of an answer or a link that the contract does not name are tolerated, and listed (as
    D7 lists get_counter's), so drift between versions is visible; never a failure."""
    seen = [f"relations/get $.{k}" for k in ex.envelope if k not in ENVELOPE_FIELDS]
    for link in _links(ex):
        seen += [f"relations/get $.data[].{k}" for k in link if k not in LINK_FIELDS]
        props = link.get("props")
        for name, prop in (props.items() if isinstance(props, dict) else ()):
            if isinstance(prop, dict):
                seen += [f"relations/get $.data[].props.{name}.{k}" for k in prop if k != "value"]
    for path in dict.fromkeys(seen):
        yield fail(ex, "G2", "undocumented_link_fields_listed", "Undocumented field", f"{path} is not in the contract",
                   path=path, severity="note")
