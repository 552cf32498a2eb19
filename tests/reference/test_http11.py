"""The keep-alive handler of the loopback server: chunked answers without Content-Length, several
answers on one connection, then the connection closed without a word; and the suite passes the
variant that does all this (plus a 429 every 60th request and echoed failure texts) over loopback,
with the writes."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from altcraft_contract.reference import data, server
from altcraft_contract.reference.render import Style
from tests.suite import run_suite

BODY = json.dumps({"token": next(iter(data.VALID_TOKENS)), "rel_id": 3, "matching": "profile_id",
                   "profile_id": data.A1}).encode()
REQUEST = (b"POST /api/v1.1/relations/get_counter HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
           b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY))


def _answer(sock: socket.socket) -> tuple[bytes, bytes]:
    """One answer's head and its chunked body, decoded; b"", b"" when the connection is closed."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            return b"", b""
        buf += chunk
    head, rest = buf.split(b"\r\n\r\n", 1)
    body = b""
    while True:
        while b"\r\n" not in rest:
            rest += sock.recv(65536)
        size_line, rest = rest.split(b"\r\n", 1)
        size = int(size_line, 16)
        while len(rest) < size + 2:
            rest += sock.recv(65536)
        body, rest = body + rest[:size], rest[size + 2:]
        if size == 0:
            return head, body


def test_answers_are_chunked_on_a_kept_alive_connection_closed_after_a_few() -> None:
    app = server.make_app(style=Style(chunked=True, close_after=3))
    with server.LoopbackServer(app) as srv:
        host, port = srv.base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            for _ in range(3):
                sock.sendall(REQUEST)
                head, body = _answer(sock)
                headers = head.lower().split(b"\r\n")
                assert headers[0].startswith(b"http/1.1 200") and b"transfer-encoding: chunked" in headers
                assert not any(h.startswith((b"content-length", b"connection")) for h in headers)
                assert json.loads(body)["data"]["profile_id"] == data.A1
            sock.sendall(REQUEST)  # a fourth request: the server closed the connection, saying nothing
            assert _answer(sock) == (b"", b"")


def test_the_suite_passes_the_wire_variant_over_loopback_with_the_writes(tmp_path: Path) -> None:
    proc = run_suite("--reference-variant", "wire-429-chunked-keepalive-echo", "--transport", "loopback", "--writes",
                     "--reports-dir", str(tmp_path))
    assert proc.returncode == 0, proc.stdout[-4000:]
    results = json.loads((tmp_path / "results.json").read_text())
    assert "TRANSPORT" not in proc.stdout and not any(s["transport_error"] for s in results["scenarios"])
