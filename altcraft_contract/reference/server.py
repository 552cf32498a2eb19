"""Serving the reference endpoint: on loopback in a thread, in-process for httpx, or standalone."""

from __future__ import annotations

import logging
import threading
from typing import Any

import httpx
import respx
from werkzeug.serving import BaseWSGIServer, make_server

from ..contract.target import Profile, Target, WriteScope
from . import catalogue, data, http11
from .app import ReferenceApp
from .render import Style

TOKEN_ENV = "ALTCRAFT_API_TOKEN"


def make_app(api_version: str = "v74", fault: str = "none", style: Style | None = None,
             tokens: frozenset[str] = data.VALID_TOKENS, latency_ms: float = 0.0) -> ReferenceApp:
    return ReferenceApp(api_version, style or Style(), catalogue.get(fault), tokens, latency_ms)


class LoopbackServer:
    """The app on 127.0.0.1 at a free port, served from a daemon thread."""

    def __init__(self, app: ReferenceApp, port: int = 0, host: str = "127.0.0.1") -> None:
        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # it logs every request otherwise
        self.app = app
        # werkzeug closes every connection; a style that keeps them open (or chunks) gets its own handler.
        handler = http11.KeepAliveHandler if http11.keeps_alive(app) else None
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True,
                                                   request_handler=handler)  # type: ignore[arg-type]
        self.base_url = f"http://{host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> LoopbackServer:
        return self.__enter__()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


INPROCESS_URL = "http://reference.invalid"


def inprocess_transport(app: ReferenceApp) -> httpx.BaseTransport:
    """An httpx transport that hands every request to the app through respx (no sockets)."""
    router = respx.MockRouter(assert_all_called=False, base_url=INPROCESS_URL)
    router.route().mock(side_effect=respx.WSGIHandler(app))
    return httpx.MockTransport(router.handler)


ATTACH_PATH = "/api/v1.1/relations/attach"  # where the reference serves attach (the vendor gives no path)


def target_for(base_url: str, api_version: str, style: Style | None = None) -> Target:
    """The Target describing the reference endpoint's demo data."""
    st = style or Style()
    return Target(
        base_url=base_url, token_env=TOKEN_ENV, rel_id=3,
        profiles=tuple(Profile(**row) for row in data.target_profiles()),  # type: ignore[arg-type]
        api_version=api_version, error_http_status="mirror" if st.status_mode == "mirror" else "200",
        unknown_rel_id=data.UNKNOWN_REL_ID, unknown_resource_id=data.UNKNOWN_RESOURCE_ID,
        source="embedded reference endpoint",
        writes=WriteScope(**{k: tuple(v) if isinstance(v, list) else v  # type: ignore[arg-type]
                             for k, v in data.writes_table().items()}),
        paths={"attach": ATTACH_PATH},
    )


def target_toml(target: Target) -> str:
    """The target file a user would write for ``target``."""
    import tomli_w

    doc: dict[str, Any] = {
        "target": {"base_url": target.base_url, "token_env": target.token_env,
                   "api_version": target.api_version, "error_http_status": target.error_http_status},
        "data": {"rel_id": target.rel_id, "unknown_rel_id": target.unknown_rel_id,
                 "unknown_resource_id": target.unknown_resource_id, "profiles": data.target_profiles()},
    }
    doc["data"] = {k: v for k, v in doc["data"].items() if v is not None}  # optional keys left out
    doc["writes"] = data.writes_table()  # used only with --writes
    doc["endpoints"] = {"attach": ATTACH_PATH}
    return tomli_w.dumps(doc)
