"""A small WSGI server on loopback that keeps HTTP/1.1 connections alive, for the freedom of
closing them after a few answers (werkzeug's development server closes every connection after its
first answer, so a client never meets a kept-alive connection being closed there).

It reads the whole request body first (Content-Length or chunked, at most ``MAX_BODY`` bytes),
dispatches any method to the app, writes an answer without Content-Length in chunks, never
writes a body for HEAD, closes the connection when the answer says ``Connection: close`` (or the
client asked for it) and answers 500 with a text page when the app raises.
"""

from __future__ import annotations

import io
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_BODY = 16 * 2**20


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # small writes (headers, chunks) are not held back for the client's ACK
    timeout = 10  # an idle kept-alive connection is dropped after this many seconds
    server: KeepAliveServer._Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        with self.server.lock:
            self.server.connections += 1

    def handle_one_request(self) -> None:
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if not self.raw_requestline or len(self.raw_requestline) > 65536:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            with self.server.lock:
                self.server.requests += 1
            self._run()
            self.wfile.flush()
        except (TimeoutError, ConnectionError) as exc:
            self.close_connection = True
            with self.server.lock:
                self.server.dropped.append(type(exc).__name__)

    def _body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                line = self.rfile.readline(100).split(b";")[0].strip()
                size = int(line, 16) if line and all(c in b"0123456789abcdefABCDEF" for c in line) else -1
                if size < 0 or len(out) + size > MAX_BODY:
                    return None
                out += self.rfile.read(size)
                self.rfile.readline(3)
                if size == 0:
                    return bytes(out)
        length = self.headers.get("Content-Length", "0").strip() or "0"
        if not length.isdigit() or not length.isascii() or int(length) > MAX_BODY:
            return None
        return self.rfile.read(int(length))

    def _environ(self, body: bytes) -> dict[str, Any]:
        path, _, query = self.path.partition("?")
        env: dict[str, Any] = {
            "REQUEST_METHOD": self.command, "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(self.server.server_address[1]),
            "SERVER_PROTOCOL": self.request_version, "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": str(self.client_address[1]), "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http", "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        }
        for key, value in self.headers.items():
            name = key.upper().replace("-", "_")
            name = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + name
            if name != "CONTENT_LENGTH":
                env[name] = f"{env[name]},{value}" if name in env else value
        return env

    def _run(self) -> None:
        body = self._body()
        if body is None:
            self.close_connection = True
            self._send("400 Bad Request", [("Content-Type", "text/plain")], [b"bad request body"])
            return
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            started[:] = [status, list(headers)]
            return lambda data: None

        try:
            result = self.server.app(self._environ(body), start_response)
            try:
                chunks = [bytes(c) for c in result]
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        except Exception:
            self._send("500 Internal Server Error", [("Content-Type", "text/plain")], [b"Internal Server Error"])
            return
        self._send(started[0], started[1], chunks)

    def _send(self, status: str, headers: list[tuple[str, str]], chunks: list[bytes]) -> None:
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        names = {k.lower() for k, _ in headers}
        for k, v in headers:
            self.send_header(k, v)  # "Connection: close" makes http.server close after this answer
        chunked = "content-length" not in names and self.request_version == "HTTP/1.1"
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif "content-length" not in names:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        for c in chunks:
            if c:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(c), c) if chunked else c)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


class KeepAliveServer:
    """``with KeepAliveServer(app) as srv:`` serves ``app`` at ``srv.base_url`` on a free port."""

    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False
        request_queue_size = 128  # socketserver's 5 overflows when a client opens many connections at once: resets
        app: Any
        connections = requests = 0  # counted, to show connections were kept alive
        dropped: list[str]  # connections ended by an idle timeout or the client's reset
        lock = threading.Lock()

    def __init__(self, app: Any) -> None:
        self.httpd = self._Server(("127.0.0.1", 0), _Handler)
        self.httpd.app = app
        self.httpd.dropped = []
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> KeepAliveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(5)
