"""The reference endpoint: every malformed request gets an error envelope, never a crash (R6)."""

from __future__ import annotations

import json

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from altcraft_contract.reference import server
from altcraft_contract.reference.data import PROFILES, xxh
from altcraft_contract.wire import xmlcodec

TOKEN = "ref-token"
CLIENT = httpx.Client(base_url=server.INPROCESS_URL,
                      transport=server.inprocess_transport(server.make_app(tokens=frozenset({TOKEN}))))
TYPES = st.sampled_from(["application/json", "application/xml", "text/xml", "application/json; charset=utf-8",
                         "text/plain", "", "application/x-www-form-urlencoded"])
JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                       lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                       max_leaves=12)
FIELDS = st.fixed_dictionaries({}, optional={
    "token": st.sampled_from([TOKEN, "", None, 5]), "rel_id": JSONISH, "matching": JSONISH, "email": JSONISH,
    "phone": JSONISH, "profile_id": JSONISH, "field_name": JSONISH, "field_value": JSONISH,
    "resource_id": JSONISH, "format": st.sampled_from(["json", "xml", "yaml", ""])})


def _is_envelope(resp: httpx.Response) -> bool:
    # A body field "format" may pick the answer format too (T4), so read it from the Content-Type.
    xml = "xml" in resp.headers["content-type"]
    env = xmlcodec.decode_response(resp.content) if xml else json.loads(resp.content)
    return isinstance(env.get("error"), int) and isinstance(env.get("error_text"), str)


@settings(max_examples=300, deadline=None)
@given(body=st.binary(max_size=300) | FIELDS.map(lambda f: json.dumps(f).encode()), ctype=TYPES,
       fmt=st.sampled_from(["json", "xml"]), method=st.sampled_from(["POST", "POST", "GET", "PUT"]))
def test_any_request_gets_an_envelope(body: bytes, ctype: str, fmt: str, method: str) -> None:
    resp = CLIENT.request(method, f"/api/v1.1/relations/get_counter?format={fmt}", content=body,
                          headers={"Content-Type": ctype})
    assert resp.status_code < 500 and _is_envelope(resp)


def test_demo_profiles_hash_to_their_xxh() -> None:
    for p in PROFILES:
        resp = CLIENT.post("/api/v1.1/relations/get_counter",
                           json={"token": TOKEN, "rel_id": 3, "matching": "profile_id", "profile_id": p.profile_id})
        assert resp.json()["data"]["profile_xxh"] == xxh(p.profile_id)
