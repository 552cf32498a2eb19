"""The client and the connections a server closes: a read whose kept-alive connection ended before
any answer goes again once, on a new connection; a write never goes on a kept-alive connection and
is never sent twice. Raw texts carry the token where they mark it; a Call may send no Content-Type."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest

from altcraft_contract import endpoints
from altcraft_contract.contract.calls import BODY_TOKEN, Call, Expect
from altcraft_contract.reference import data, server
from altcraft_contract.reference.render import Style
from altcraft_contract.wire.client import Client

TOKEN = next(iter(data.VALID_TOKENS))
READ = Call.of({"rel_id": 3, "matching": "profile_id", "profile_id": data.A1})


class Hangup:
    """A server that reads each request and closes the connection without answering; it counts them."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.requests = 0
        self.base_url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                got = b""
                while b"\r\n\r\n" not in got:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    got += chunk
                if got:
                    self.requests += 1


@pytest.fixture
def hangup() -> Iterator[Hangup]:
    srv = Hangup()
    yield srv
    srv.sock.close()


def test_a_read_goes_again_once_on_a_new_connection_then_is_reported(hangup: Hangup) -> None:
    client = Client(hangup.base_url, TOKEN, "T", timeout=5)
    ex = client.send(READ, Expect.anything("T1"))
    client.close()
    assert ex.transport_error and "RemoteProtocolError" in ex.transport_error
    assert hangup.requests == 2 and client.sent == 2  # counted by the gate like any request


@pytest.mark.parametrize("write", sorted(endpoints.WRITES))
def test_a_write_is_never_sent_twice(hangup: Hangup, write: str) -> None:
    client = Client(hangup.base_url, TOKEN, "T", timeout=5)
    ex = client.send(READ.variant(path=endpoints.get(write).path), Expect.anything("W1"))
    client.close()
    assert ex.transport_error and hangup.requests == 1


def test_a_path_the_suite_does_not_know_is_never_sent_twice(hangup: Hangup) -> None:
    client = Client(hangup.base_url, TOKEN, "T", timeout=5)
    client.send(READ.variant(path="/api/v1.1/relations/bind"), Expect.anything("T1"))  # attach under another name
    client.close()
    assert hangup.requests == 1


def test_connections_the_server_closes_after_each_answer_cost_no_transport_error() -> None:
    app = server.make_app(style=Style(close_after=1, chunked=True))
    with server.LoopbackServer(app) as srv:
        client = Client(srv.base_url, TOKEN, "T", timeout=5)
        calls = [READ, READ.variant(path=endpoints.GET.path)] * 40
        errors = [ex.transport_error for ex in (client.send(c, Expect.anything("T1")) for c in calls) if ex.transport_error]
        client.close()
    assert errors == []


def test_a_raw_text_carries_the_token_where_it_marks_it_and_shows_it_redacted() -> None:
    raw = json.dumps({"token": BODY_TOKEN, "rel_id": 3, "matching": "profile_id", "profile_id": data.A1}, ensure_ascii=False).encode()
    with server.LoopbackServer(server.make_app()) as srv:
        client = Client(srv.base_url, TOKEN, "T")
        ex = client.send(Call(fields=(), raw_body=raw), Expect.success("T2", data.A1))
        client.close()
    assert ex.error_code == 0 and ex.data["profile_id"] == data.A1
    assert TOKEN not in ex.request_body + ex.curl and "<redacted>" in ex.request_body


def test_an_empty_content_type_sends_none() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"error": 0, "error_text": "Successful operation", "data": {}})

    client = Client("http://x", TOKEN, "T", transport=httpx.MockTransport(handler))
    client.send(READ.variant(content_type=""), Expect.anything("R6"))
    client.send(READ.variant(content_type="APPLICATION/JSON"), Expect.anything("R6"))
    client.close()
    assert "content-type" not in seen[0].headers and seen[1].headers["content-type"] == "APPLICATION/JSON"
