"""The reference endpoint's matching, shared by every endpoint: find the relation and the profile
a request names (M1-M3, M6; R5 when there is none). What each endpoint then does with the links
lives beside it (``endpoints/<name>/reference.py``)."""

from __future__ import annotations

from typing import Any

from ..contract import schemas
from .data import PROFILES, RELATIONS, WRITE_PROFILES, DemoProfile, Relation
from .incoming import Reject


class NotFound(Exception):
    """A well-formed request that finds nothing (R5)."""


def _has_tags(stored: Any, wanted: str) -> bool:
    tags = {t.strip() for t in wanted.split(",") if t.strip()}
    return bool(tags) and tags <= set(stored)


def _custom_matches(profile: DemoProfile, name: str, value: int | str) -> bool:
    if name not in profile.fields:
        return False
    stored = profile.fields[name]
    if isinstance(stored, list):
        return isinstance(value, str) and _has_tags(stored, value)
    # An integer field is found by the integer or by its decimal string ("123420").
    return str(stored) == str(value)


def _matches(p: DemoProfile, mode: str, req: dict[str, Any]) -> bool:
    resource = req.get("resource_id")
    if mode in ("email", "phone") and resource is not None:
        # M3: with resource_id, only that resource's subscriptions are searched.
        return any(s.resource_id == resource and bool(getattr(s, mode) == req[mode]) for s in p.subscriptions)
    if mode == "email":
        return bool(p.email == req["email"]) or any(s.email == req["email"] for s in p.subscriptions)
    if mode == "email_profile":
        return bool(p.email == req["email"])
    if mode == "phone":
        return p.phone == req["phone"] or any(s.phone == req["phone"] for s in p.subscriptions)
    if mode == "profile_id":
        return bool(p.profile_id == req["profile_id"])
    return _custom_matches(p, req["field_name"], req["field_value"])


def effective_mode(req: dict[str, Any]) -> str:
    """M1/M5: an explicit mode; without one, email, or profile_id when only that is given."""
    if "matching" in req:
        return str(req["matching"])
    return "email" if "email" in req else "profile_id"


def find_profile(req: dict[str, Any]) -> DemoProfile:
    mode = effective_mode(req)
    for p in PROFILES + WRITE_PROFILES:
        if _matches(p, mode, req):
            return p
    raise NotFound("Profile not found")


def find_relation(rel_id: int) -> Relation:
    for r in RELATIONS:
        if r.rel_id == rel_id:
            return r
    raise NotFound("Relation not found")


def read_request(fields: dict[str, Any]) -> tuple[Relation, DemoProfile]:
    """A read request's relation and profile: its fields checked against the request schema (R4:
    400), then looked up (R5: NotFound)."""
    for v in schemas.violations("request", fields, "R4"):
        raise Reject(400, f"Incorrect request: {v.path} {v.message}"[:300])
    return find_relation(fields["rel_id"]), find_profile(fields)
