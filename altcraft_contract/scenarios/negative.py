"""Fixed probes that must fail: tokens (R2, R3), incorrect requests (R4), nothing found (R5),
malformed input (R6). The tables are data; one loop turns each row into a scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..contract.calls import Auth, Call, Expect
from ..contract.target import Target, base_fields
from ..run.scenario import Scenario
from ..run.session import Session
from .registry import ScenarioList

SCENARIOS = ScenarioList()  # this module's scenarios, in order (scenarios/all.py joins every module's)
add, scenario = SCENARIOS.add, SCENARIOS.scenario

NOT_AUTH = {401, 402, 403}

# R3: a fixed invalid token in the body and in the header (the token classes of the input model,
# scenarios/classes.py, send no token in each of R2's ways and tokens derived from the real one).
TOKEN_ROWS: tuple[tuple[str, Auth, set[int]], ...] = (
    ("R3", Auth.BODY_INVALID, {401, 403}),
    ("R3", Auth.HEADER_INVALID, {401, 403}),
)

for _clause, _auth, _codes in TOKEN_ROWS:
    def _run(s: Session, auth: Auth = _auth, codes: set[int] = _codes, clause: str = _clause) -> None:
        s.expect(Call.of(base_fields(s.target), auth=auth), Expect.error(clause, codes, reason=auth.value))
    add(Scenario(_clause, _auth.value, _run))

# R4: fixed rows for what the input model does not send (missing fields, a mode name that is not one
# of the five); wrong types and empty values are its classes, generated ones come from the strategies.
Edit = Callable[[dict[str, Any]], dict[str, Any]]


def _set(**kw: Any) -> Edit:
    return lambda f: {**f, **kw}


def _drop(name: str) -> Edit:
    return lambda f: {k: v for k, v in f.items() if k != name}


R4_ROWS: tuple[tuple[str, Edit], ...] = (
    ("rel_id missing", _drop("rel_id")),
    ("rel_id is a numeric string", _set(rel_id="3")),
    # The identifiers stay, so a server that falls back to a known mode would find the profile.
    ("matching is not one of the five", lambda f: {**f, "matching": "email_sub", "email": "john@example.com"}),
    ("profile_id missing for matching=profile_id", _drop("profile_id")),
    ("email missing for matching=email", lambda f: {**_drop("profile_id")(f), "matching": "email"}),
    ("field_value missing for matching=custom",
     lambda f: {**_drop("profile_id")(f), "matching": "custom", "field_name": "CRM_ID"}),
    ("field_value is a float", lambda f: {**_drop("profile_id")(f), "matching": "custom", "field_name": "CRM_ID",
                                          "field_value": 1.5}),
)

for _title, _edit in R4_ROWS:
    def _run4(s: Session, edit: Edit = _edit, title: str = _title) -> None:
        s.expect(Call.of(edit(base_fields(s.target))), Expect.error("R4", {400}, reason=title))
    add(Scenario("R4", _title, _run4))


@scenario("R4", "a body that does not parse")
def unparsable(s: Session) -> None:
    for raw in (b'{"rel_id": 3,', b"rel_id=3", b"\xff\xfe{}"):
        s.expect(Call(fields=(), raw_body=raw), Expect.error("R4", {400}, reason="the body is not JSON"))


# R5: well-formed requests that find nothing.
def _unknown_profile(target: Target) -> list[dict[str, Any]]:
    rel = target.rel_id
    rows: list[dict[str, Any]] = [
        {"rel_id": rel, "matching": "profile_id", "profile_id": "0" * 24},
        {"rel_id": rel, "matching": "email", "email": "nobody@unknown.example.invalid"},
        {"rel_id": rel, "matching": "phone", "phone": "+70000000000"},
    ]
    field = next((p.field_name for p in target.profiles if p.field_name), None)
    if field:  # a field the target has, with a value no profile holds
        rows.append({"rel_id": rel, "matching": "custom", "field_name": field, "field_value": "no-such-value-0"})
    return rows


@scenario("R5", "an unknown profile in each matching mode")
def unknown_profile(s: Session) -> None:
    for fields in _unknown_profile(s.target):
        s.expect(Call.of(fields), Expect.error("R5", None, forbidden=NOT_AUTH, reason="no such profile"))


FALLBACK_UNKNOWN_REL_ID = 999_999_999  # without [data] unknown_rel_id (the strategies use it too)


@scenario("R5", "an unknown rel_id")
def unknown_relation(s: Session) -> None:
    rel = s.target.unknown_rel_id if s.target.unknown_rel_id is not None else FALLBACK_UNKNOWN_REL_ID
    fields = {**base_fields(s.target), "rel_id": rel}
    s.expect(Call.of(fields), Expect.error("R5", None, forbidden=NOT_AUTH, reason="no such relation"))


# R6: malformed or hostile requests; any error envelope will do, a crash will not.
R6_ROWS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("an empty body", {"raw_body": b""}),
    ("a JSON array", {"raw_body": b"[1, 2, 3]"}),
    ("JSON nested 5000 deep", {"raw_body": b"[" * 5000 + b"]" * 5000}),
    ("a 2 MB body", {"raw_body": b'{"rel_id": 3, "pad": "' + b"x" * 2_000_000 + b'"}'}),
    ("binary garbage", {"raw_body": bytes(range(256)) * 4}),
    ("an unknown Content-Type", {"raw_body": b"rel_id=3", "content_type": "application/x-www-form-urlencoded"}),
    ("a GET request", {"raw_body": b"", "method": "GET"}),
    ("a NUL in a string", {"raw_body": b'{"rel_id": 3, "email": "a\\u0000b@example.com"}'}),
    ("a huge integer", {"raw_body": b'{"rel_id": 1' + b"0" * 400 + b"}"}),
    ("a malformed XML body", {"raw_body": b"<xml><rel_id>3</rel_id>", "content_type": "application/xml"}),
)

for _t, _kw in R6_ROWS:
    def _run6(s: Session, kw: dict[str, Any] = _kw, title: str = _t) -> None:
        s.expect(Call(fields=(), **kw), Expect.anything("R6", reason=title))
    add(Scenario("R6", _t, _run6))
