"""The fault catalogue: each fault breaks exactly one clause of the contract, some only for
some inputs, so the suite can prove that every check fires (and only it).

A fault is a set of hooks the reference endpoint calls at fixed points: on the parsed request,
on authorisation, on the fields before validation, on the envelope, and on the bytes on the wire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..incoming import App, Incoming, Reply
from ..store import Write

Hook = Callable[..., Any]


@dataclass(frozen=True)
class Fault:
    name: str
    clause: str
    description: str
    also: tuple[str, ...] = ()  # clauses that necessarily fail with it
    endpoints: tuple[str, ...] = ("get_counter",)  # where it acts (endpoint names); elsewhere the app is correct
    request: Hook | None = None  # before the body is parsed
    parsed: Hook | None = None  # after parsing, before authorisation
    auth: Hook | None = None
    fields: Hook | None = None
    envelope: Hook | None = None
    wire: Hook | None = None
    # The writes (endpoints/writes/reference.py): write(app, inc, write, stage), stage "resolve" before the lookups and
    # "apply" before the change; it may change the Write or the store.
    write: Hook | None = None

    def on_request(self, app: App, inc: Incoming) -> None:
        if self.request:
            self.request(app, inc)

    def on_parsed(self, app: App, inc: Incoming) -> None:
        if self.parsed:
            self.parsed(app, inc)

    def on_auth(self, app: App, inc: Incoming) -> None:
        if self.auth:
            self.auth(app, inc)

    def on_fields(self, app: App, inc: Incoming) -> None:
        if self.fields:
            self.fields(app, inc)

    def on_envelope(self, app: App, inc: Incoming, env: dict[str, Any]) -> dict[str, Any]:
        return self.envelope(app, inc, env) if self.envelope else env

    def on_wire(self, app: App, inc: Incoming, reply: Reply) -> Reply:
        return self.wire(app, inc, reply) if self.wire else reply

    def on_write(self, app: App, inc: Incoming, write: Write, stage: str) -> None:
        if self.write:
            self.write(app, inc, write, stage)


NO_FAULT = Fault("none", "", "the correct reference endpoint")


# --- helpers the hooks share -------------------------------------------------------------

def _on_success(change: Callable[[dict[str, Any]], None]) -> Hook:
    def hook(app: App, inc: Incoming, env: dict[str, Any]) -> dict[str, Any]:
        if env.get("error") == 0:
            change(env["data"])
        return env
    return hook


def _on_error(change: Callable[[dict[str, Any]], None]) -> Hook:
    def hook(app: App, inc: Incoming, env: dict[str, Any]) -> dict[str, Any]:
        if env.get("error") != 0:
            change(env)
        return env
    return hook


def _props(data: dict[str, Any]) -> dict[str, Any]:
    props = data.get("props")
    return props if isinstance(props, dict) else {}
