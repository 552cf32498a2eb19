"""The fault catalogue: each fault breaks exactly one clause of the contract, some only for
some inputs, so the suite can prove that every check fires (and only it).

A fault is a set of hooks the reference endpoint calls at fixed points: on the parsed request,
on authorisation, on the fields before validation, on the envelope, and on the bytes on the wire.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .app import Incoming, ReferenceApp, Reply
    from .writes import Write


class Reject(Exception):
    """Answer with an error envelope."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


class Crash(Exception):
    """A fault that makes the endpoint fall over: answered as a bare HTTP 500, not an envelope."""


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
    # The writes (writes.py): write(app, inc, write, stage), stage "resolve" before the lookups and
    # "apply" before the change; it may change the Write or the store.
    write: Hook | None = None

    def on_request(self, app: ReferenceApp, inc: Incoming) -> None:
        if self.request:
            self.request(app, inc)

    def on_parsed(self, app: ReferenceApp, inc: Incoming) -> None:
        if self.parsed:
            self.parsed(app, inc)

    def on_auth(self, app: ReferenceApp, inc: Incoming) -> None:
        if self.auth:
            self.auth(app, inc)

    def on_fields(self, app: ReferenceApp, inc: Incoming) -> None:
        if self.fields:
            self.fields(app, inc)

    def on_envelope(self, app: ReferenceApp, inc: Incoming, env: dict[str, Any]) -> dict[str, Any]:
        return self.envelope(app, inc, env) if self.envelope else env

    def on_wire(self, app: ReferenceApp, inc: Incoming, reply: Reply) -> Reply:
        return self.wire(app, inc, reply) if self.wire else reply

    def on_write(self, app: ReferenceApp, inc: Incoming, write: Write, stage: str) -> None:
        if self.write:
            self.write(app, inc, write, stage)


# Faults of the shared clauses; each endpoint folder's faults.py adds its own clauses' faults.
_CATALOGUE_MODULES = (".catalogue", ".catalogue_requests", ".catalogue_xml", ".catalogue_inputs")
NO_FAULT = Fault("none", "", "the correct reference endpoint")
CATALOGUE: dict[str, Fault] = {}


def register(f: Fault) -> None:
    if f.name in CATALOGUE:
        raise ValueError(f"duplicate fault {f.name!r}")
    CATALOGUE[f.name] = f


def catalogue() -> dict[str, Fault]:
    """Every fault, by name (the catalogue modules register themselves on import)."""
    from .. import endpoints

    for module in _CATALOGUE_MODULES:
        importlib.import_module(module, __package__)
    endpoints.modules("faults")
    return CATALOGUE


def get(name: str) -> Fault:
    catalogue()
    if name in ("", "none"):
        return NO_FAULT
    if name not in CATALOGUE:
        raise KeyError(f"unknown fault {name!r}; known: {', '.join(sorted(CATALOGUE))}")
    return CATALOGUE[name]


# --- helpers the hooks share -------------------------------------------------------------

def _on_success(change: Callable[[dict[str, Any]], None]) -> Hook:
    def hook(app: ReferenceApp, inc: Incoming, env: dict[str, Any]) -> dict[str, Any]:
        if env.get("error") == 0:
            change(env["data"])
        return env
    return hook


def _on_error(change: Callable[[dict[str, Any]], None]) -> Hook:
    def hook(app: ReferenceApp, inc: Incoming, env: dict[str, Any]) -> dict[str, Any]:
        if env.get("error") != 0:
            change(env)
        return env
    return hook


def _props(data: dict[str, Any]) -> dict[str, Any]:
    props = data.get("props")
    return props if isinstance(props, dict) else {}
