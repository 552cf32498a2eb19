"""The client: the token goes on the wire and nowhere else, and the curl line really reproduces."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from altcraft_contract.contract.calls import Auth, Call, Expect
from altcraft_contract.reference import server
from altcraft_contract.wire.client import Client, derived_token, redacted

TOKEN = "curl-test-token-1234"
PID = "5c910f6bc484d023b1309bee"


@pytest.mark.parametrize("call", [
    Call.of({"rel_id": 3, "matching": "profile_id", "profile_id": PID}),
    Call.of({"rel_id": 3, "matching": "profile_id", "profile_id": PID}, auth=Auth.HEADER),
    Call.of({"rel_id": 3, "matching": "profile_id", "profile_id": PID}, body_format="xml", answer_format="xml"),
    Call.of({"rel_id": 3, "email": "o'neil@example.com"}, format_in="body", answer_format="json"),
], ids=["json body token", "header token", "xml body", "quote in a value"])
def test_curl_line_reproduces_the_request_as_pasted(call: Call) -> None:
    with server.LoopbackServer(server.make_app(tokens=frozenset({TOKEN}))) as srv:
        client = Client(srv.base_url, TOKEN, "ALTCRAFT_API_TOKEN")
        ex = client.send(call, Expect.anything("T1"))
        assert TOKEN not in ex.curl + ex.request_body + json.dumps(ex.request_headers)
        env = {**os.environ, "ALTCRAFT_API_TOKEN": TOKEN}  # as pasted: the URL is in the line
        out = subprocess.run(["bash", "-c", ex.curl], env=env, capture_output=True, timeout=30, check=True).stdout
        assert out == ex.body  # byte for byte the answer the suite saw


def test_redacted_forms_never_hold_the_token_placeholder_raw() -> None:
    headers, body, curl = redacted(Call.of({"rel_id": 3}, auth=Auth.HEADER), "TOK_VAR")
    assert headers["Authorization"] == "Bearer <redacted>" and "$TOK_VAR" in curl and "\ue000" not in curl + body


@pytest.mark.parametrize("auth", [Auth.BODY_SAME_SHAPE, Auth.BODY_LAST_CHANGED, Auth.BODY_PREFIX, Auth.BODY_SUFFIXED])
def test_derived_tokens_are_wrong_and_shown_redacted(auth: Auth) -> None:
    token = derived_token(auth, TOKEN)
    assert token != TOKEN and token.strip()
    if auth is Auth.BODY_SAME_SHAPE:
        assert len(token) == len(TOKEN) and set(token) <= set(TOKEN)
        assert all(a != b for a, b in zip(token, TOKEN, strict=True))
    elif auth is Auth.BODY_LAST_CHANGED:
        assert token[:-1] == TOKEN[:-1] and token[-1] in TOKEN
    elif auth is Auth.BODY_PREFIX:
        assert TOKEN.startswith(token)
    else:
        assert token.startswith(TOKEN)
    _, body, curl = redacted(Call.of({"rel_id": 3}, auth=auth), "TOK_VAR")
    assert "<redacted: " in body and "\ue000" not in body + curl


def test_empty_bearer_header_goes_on_the_wire_without_a_token() -> None:
    with server.LoopbackServer(server.make_app(tokens=frozenset({TOKEN}))) as srv:
        client = Client(srv.base_url, TOKEN, "ALTCRAFT_API_TOKEN")
        ex = client.send(Call.of({"rel_id": 3, "profile_id": PID}, auth=Auth.HEADER_EMPTY), Expect.anything("R6"))
        assert ex.request_headers["Authorization"] == "Bearer" and ex.error_code == 401
        ex = client.send(Call.of({"rel_id": 3, "profile_id": PID}, auth=Auth.HEADER_EMPTY_BODY), Expect.anything("R6"))
        assert ex.error_code == 0  # the body token counts; the empty header adds nothing
