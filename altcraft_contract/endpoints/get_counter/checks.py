"""D: the data of a success, by schema (D1-D5, via x-clause) and by meaning (D2, D6, D7)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import xxhash

from ...checks.base import fail
from ...checks.failures import Failure
from ...checks.registry import CheckList
from ...contract import schemas
from ...contract.target import Target
from ...wire.client import Exchange

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check


def _is_success(ex: Exchange) -> bool:
    return ex.error_code == 0 and isinstance(ex.data, dict)


def _schema_violations(ex: Exchange, target: Target) -> list[schemas.Violation]:
    key = f"success-{target.api_version}"
    if key not in ex.scratch:
        ex.scratch[key] = list(schemas.violations(key, ex.envelope, "E2"))
    cached: list[schemas.Violation] = ex.scratch[key]
    return cached


def _by_clause(ex: Exchange, target: Target, clause: str, name: str, title: str) -> Iterator[Failure]:
    for v in _schema_violations(ex, target):
        if v.clause == clause:
            yield fail(ex, clause, name, title, v.message, received=v.value, path=v.path)


@check("D1", applies=_is_success)
def profile_id_is_24_hex(ex: Exchange, target: Target) -> Iterator[Failure]:
    """data.profile_id is a string of 24 lowercase hex digits."""
    yield from _by_clause(ex, target, "D1", "profile_id_is_24_hex", "Malformed data.profile_id")


@check("D2", applies=_is_success)
def profile_xxh_is_xxhash64(ex: Exchange, target: Target) -> Iterator[Failure]:
    """data.profile_xxh is 16 lowercase hex digits equal to xxHash64 (seed 0) of profile_id."""
    found = list(_by_clause(ex, target, "D2", "profile_xxh_is_xxhash64", "Malformed data.profile_xxh"))
    yield from found
    pid, xxh = ex.data.get("profile_id"), ex.data.get("profile_xxh")
    if found or not isinstance(pid, str) or not schemas.profile_id_pattern().fullmatch(pid):
        return  # a malformed id is D1's failure; hashing it proves nothing more
    want = xxhash.xxh64_hexdigest(pid.encode("ascii"))
    if xxh != want:
        yield fail(ex, "D2", "profile_xxh_is_xxhash64", "profile_xxh is not xxHash64(profile_id)",
                   f"xxHash64 of {pid!r} (seed 0) differs", received=xxh, expected=want, path="$.data.profile_xxh")


@check("D3", applies=_is_success)
def props_is_an_object(ex: Exchange, target: Target) -> Iterator[Failure]:
    """data.props is an object of property objects ({} when there are no relations)."""
    yield from _by_clause(ex, target, "D3", "props_is_an_object", "Malformed data.props")


@check("D4", applies=_is_success)
def property_has_top_and_sum(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Each property has top (array of {profile_id, value} or null) and sum (number or null)."""
    yield from _by_clause(ex, target, "D4", "property_has_top_and_sum", "Malformed property object")


@check("D5", applies=_is_success)
def totals_present_in_v74(ex: Exchange, target: Target) -> Iterator[Failure]:
    """v74: data.total and each property's total are integers >= 0."""
    yield from _by_clause(ex, target, "D5", "totals_present_in_v74", "Missing or malformed total")


def _props(data: dict[str, Any]) -> dict[str, Any]:
    props = data.get("props")
    return {k: v for k, v in props.items() if isinstance(v, dict)} if isinstance(props, dict) else {}


def _num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


@check("D6", applies=_is_success)
def totals_and_top_consistent(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A property's total <= data.total; len(top) <= total; top by value, largest first, distinct."""
    data = ex.data
    total = data.get("total")
    for name, prop in _props(data).items():
        path = f"$.data.props.{name}"
        ptotal, top = prop.get("total"), prop.get("top")
        if _num(total) and _num(ptotal) and ptotal > total:
            yield fail(ex, "D6", "totals_and_top_consistent", "Property total exceeds data.total",
                       f"{name}.total > data.total", received=ptotal, expected=f"<= {total}", path=path + ".total")
        if not isinstance(top, list):
            continue
        if _num(ptotal) and len(top) > ptotal:
            yield fail(ex, "D6", "totals_and_top_consistent", "top holds more items than the property's total",
                       f"len(top) = {len(top)}", received=len(top), expected=f"<= {ptotal}", path=path + ".top")
        values = [i.get("value") for i in top if isinstance(i, dict)]
        if all(_num(v) for v in values) and values != sorted(values, reverse=True):  # type: ignore[type-var]
            yield fail(ex, "D6", "totals_and_top_consistent", "top is not ordered by value, largest first",
                       "values out of order", received=values, expected=sorted(values, reverse=True),
                       path=path + ".top")
        ids = [i.get("profile_id") for i in top if isinstance(i, dict)]
        if len(set(ids)) != len(ids):
            yield fail(ex, "D6", "totals_and_top_consistent", "top names a profile twice",
                       "duplicate profile_id in top", received=ids, path=path + ".top")


@check("D7", applies=_is_success)
def undocumented_fields_listed(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Fields the contract does not name are tolerated, and listed so drift is visible."""
    data_f, prop_f, item_f = schemas.documented_fields(target.api_version)
    seen = [f"$.{k}" for k in ex.envelope if k not in ("error", "error_text", "data")]
    seen += [f"$.data.{k}" for k in ex.data if k not in data_f]
    for name, prop in _props(ex.data).items():
        seen += [f"$.data.props.{name}.{k}" for k in prop if k not in prop_f]
        for item in prop.get("top") or []:
            if isinstance(item, dict):
                seen += [f"$.data.props.{name}.top[].{k}" for k in item if k not in item_f]
    for path in dict.fromkeys(seen):
        yield fail(ex, "D7", "undocumented_fields_listed", "Undocumented field", f"{path} is not in the contract",
                   path=path, severity="note")
