"""A keep-alive HTTP/1.1 handler for the loopback server, for the variants that need one.

werkzeug's own handler ends every answer with ``Connection: close``; a server that keeps its
connections open, answers chunked, and closes a connection after a few answers without saying so
(HTTP/1.1 lets it close an idle connection at any time) needs this one. It reads a request's body
by Content-Length (or chunked), calls the WSGI application, and writes the answer with its
Content-Length, or chunked when the application gives none.
"""

from __future__ import annotations

import sys
from http.server import BaseHTTPRequestHandler
from io import BytesIO
from typing import Any
from urllib.parse import unquote

IDLE_SECONDS = 5.0  # an idle connection is closed after this long
MAX_BODY = 8 << 20  # a longer request body ends the connection (the app refuses 1 MiB already)


class KeepAliveHandler(BaseHTTPRequestHandler):
    """Serves ``self.server.app`` over keep-alive connections; after ``app.style.close_after``
    answers on one connection it closes it silently (no ``Connection: close`` header)."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS
    server: Any

    def setup(self) -> None:
        super().setup()
        self.answered = 0

    def log_message(self, format: str, *args: Any) -> None:  # the stdlib's name
        pass  # quiet, as werkzeug's logger is set to

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
        except (OSError, TimeoutError):
            self.close_connection = True
            return
        if not self.raw_requestline:
            self.close_connection = True
            return
        if not self.parse_request():
            return
        body = self._body()
        if body is None:
            self.send_error(413)
            self.close_connection = True
            return
        self._answer(body)
        self.answered += 1
        style = getattr(self.server.app, "style", None)
        if style is not None and style.close_after and self.answered >= style.close_after:
            self.close_connection = True

    def _body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline(100).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline(100)
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline(100)
                if len(out) > MAX_BODY:
                    return None
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length <= MAX_BODY else None

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        host, port = self.server.server_address[:2]
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command, "SCRIPT_NAME": "", "PATH_INFO": unquote(path, "latin-1"),
            "QUERY_STRING": query, "SERVER_NAME": str(host), "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": self.request_version, "REMOTE_ADDR": self.client_address[0],
            "CONTENT_LENGTH": str(len(body)), "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
            "wsgi.input": BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.multithread": True,
            "wsgi.multiprocess": False, "wsgi.run_once": False}
        if self.headers.get("Content-Type") is not None:
            environ["CONTENT_TYPE"] = self.headers["Content-Type"]
        for key in dict.fromkeys(self.headers.keys()):
            name = "HTTP_" + key.upper().replace("-", "_")
            if name not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[name] = ",".join(self.headers.get_all(key) or [])
        return environ

    def _answer(self, body: bytes) -> None:
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, headers]
            return lambda data: None

        result = self.server.app(self._environ(body), start_response)
        try:
            pieces = [bytes(p) for p in result]
        finally:
            close = getattr(result, "close", None)
            if close:
                close()
        status, headers = started
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        names = {k.lower() for k, _ in headers}
        no_body = self.command == "HEAD" or int(code) in (204, 304) or 100 <= int(code) < 200
        chunked = "content-length" not in names and not no_body
        for k, v in headers:
            self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if no_body:
            return
        for piece in pieces:
            if chunked and piece:
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            elif not chunked:
                self.wfile.write(piece)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def keeps_alive(app: Any) -> bool:
    """Whether ``app``'s style asks for keep-alive connections or chunked answers."""
    style = getattr(app, "style", None)
    return bool(style is not None and (style.close_after or style.chunked))
