"""The schemas are valid, and the vendor's own examples validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from altcraft_contract.contract import schemas
from altcraft_contract.reference.data import xxh

# The published examples (quoted as data from ../shared/spec/).
V72_RESPONSE = {"data": {"profile_id": "669e6968ebf4ac52b623a997", "profile_xxh": "5af1023c84f66195", "props": {}},
                "error": 0, "error_text": "Successful operation"}
V74_RESPONSE = {"data": {"profile_id": "5c910f6bc484d023b1309bee", "profile_xxh": "54ec2d76ac22a964", "total": 1,
                         "props": {"Donate": {"total": 1, "top": [{"profile_id": "5c910938c484d023b1309bab",
                                                                    "value": 20}], "sum": None},
                                   "Like": {"total": 1, "top": None, "sum": 2},
                                   "Subscriber": {"total": 1, "top": None, "sum": None}}},
                "error": 0, "error_text": "Successful operation"}
REQUESTS = [
    {"token": "abcdefghijklmnqrstuvwxyz", "rel_id": 3, "profile_id": "5d63dbdb439e7306b596c5d0"},
    {"token": "8d08f4ea57c74916909e9d324c20a6bc", "rel_id": 3, "matching": "profile_id",
     "profile_id": "5d63dbdb439e7306b596c5d0"},
]


@pytest.mark.parametrize("name", sorted(schemas.all_schemas()))
def test_schema_is_valid_against_the_2020_12_metaschema(name: str) -> None:
    Draft202012Validator.check_schema(schemas.all_schemas()[name])  # raises SchemaError if not


def test_the_metaschema_check_can_fail() -> None:
    broken = {**schemas.all_schemas()["envelope.schema.json"], "type": 5}
    with pytest.raises(SchemaError):
        Draft202012Validator.check_schema(broken)


@pytest.mark.parametrize("request_body", REQUESTS)
def test_documented_requests_validate(request_body: dict) -> None:
    assert list(schemas.violations("request", request_body, "R4")) == []


def test_documented_v72_response_validates_for_both_versions_data_rules() -> None:
    assert list(schemas.violations("success-v72", V72_RESPONSE, "E2")) == []
    # The v74 contract requires totals, which the v72 example lacks (D5).
    assert {v.clause for v in schemas.violations("success-v74", V72_RESPONSE, "E2")} == {"D5"}


def test_documented_v74_response_validates() -> None:
    assert list(schemas.violations("success-v74", V74_RESPONSE, "E2")) == []
    assert list(schemas.violations("success-v72", V74_RESPONSE, "E2")) == []  # tolerant reader (D7)


@pytest.mark.parametrize(("pid", "hashed"), [("669e6968ebf4ac52b623a997", "5af1023c84f66195"),
                                             ("5c910f6bc484d023b1309bee", "54ec2d76ac22a964")])
def test_published_profile_xxh_is_xxhash64_of_profile_id(pid: str, hashed: str) -> None:
    assert xxh(pid) == hashed


def test_violations_name_the_clause_of_the_field() -> None:
    bad = json.loads(json.dumps(V74_RESPONSE))
    bad["data"]["profile_id"] = "X"
    del bad["data"]["total"]
    bad["data"]["props"]["Like"]["sum"] = "2"
    assert {(v.clause, v.path) for v in schemas.violations("success-v74", bad, "E2")} == {
        ("D1", "$.data.profile_id"), ("D5", "$.data"), ("D4", "$.data.props.Like.sum")}


def test_matching_modes_and_identifiers_come_from_the_request_schema() -> None:
    assert schemas.matching_modes() == ("email", "email_profile", "phone", "profile_id", "custom")
    assert schemas.identifiers_by_mode()["custom"] == ("field_name", "field_value")


def test_openapi_document_refers_only_to_existing_schemas() -> None:
    doc = (schemas.SCHEMA_DIR / "openapi.json").read_text()
    refs = set(__import__("re").findall(r'"\$ref": "([^"#]+)"', doc))
    assert refs and all((schemas.SCHEMA_DIR / Path(r)).is_file() for r in refs)
    assert json.loads(doc)["openapi"] == "3.1.0"


_JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
                        lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=10), kids, max_size=4),
                        max_leaves=10)


def _mutations(doc: dict) -> st.SearchStrategy[dict]:
    """The documented answer with one field replaced or removed somewhere."""
    def mutate(path_and_value: tuple[int, object]) -> dict:
        out = json.loads(json.dumps(doc))
        node, keys = out, []
        while isinstance(node, dict) and node:
            key = sorted(node)[path_and_value[0] % len(node)]
            keys.append(key)
            if not isinstance(node[key], dict) or len(keys) > 3:
                break
            node = node[key]
        parent = out
        for k in keys[:-1]:
            parent = parent[k]
        parent[keys[-1]] = path_and_value[1]
        return out
    return st.tuples(st.integers(0, 50), _JSONISH).map(mutate)


# Deterministic (a pure function), and free of load-sensitive health checks on a busy 2-core CI.
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(name=st.sampled_from(["success-v74", "success-v72", "error", "envelope", "request"]),
       instance=_JSONISH | _mutations(V74_RESPONSE) | _mutations(V72_RESPONSE))
def test_fast_validator_agrees_with_the_explaining_one(name: str, instance: object) -> None:
    assert schemas._fast(name).is_valid(instance) == schemas.validator(name).is_valid(instance)
