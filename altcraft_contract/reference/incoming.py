"""A request as the reference endpoint sees it, and what every endpoint's behaviour and every
fault hook shares: the parsed request (``Incoming``), the answer on the wire (``Reply``), the two
ways out (``Reject``: an error envelope; ``Crash``: a bare HTTP 500) and the app's state they may
read or change (``App``). Kept below the app and the endpoints' behaviour, so none imports the app."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from xml.etree.ElementTree import Element

from .. import endpoints
from ..contract import xsd
from ..wire import xmlcodec
from . import reading
from .render import Style
from .store import Store


class Reject(Exception):
    """Answer with an error envelope."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


class Crash(Exception):
    """A fault that makes the endpoint fall over: answered as a bare HTTP 500, not an envelope."""


class App(Protocol):
    """The state of one reference app that an endpoint's behaviour and the fault hooks use."""

    api_version: str
    style: Style
    store: Store
    tokens: frozenset[str]
    last_key: bytes  # for the fault that depends on repeats
    fault_state: dict[str, Any]  # what a fault remembers between requests (a cache, ...)


@dataclass
class Incoming:
    """A request as the endpoint sees it, for the processing steps and the fault hooks."""

    method: str
    path: str
    content_type: str
    raw: bytes
    query_format: str | None
    header_token: str | None
    query_token: str | None
    answer_format: str = "json"
    body_format: str = "json"
    fields: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    token_ok: bool = False
    parsed: bool = False  # set by a fault that parses the body itself
    authorization: str = ""  # the raw Authorization header, for faults in reading it


@dataclass
class Reply:
    status: int
    content_type: str
    body: bytes
    error: int = 0  # the envelope's code, for faults that act on the wire


def endpoint_name(path: str) -> str:
    """The endpoint a path of the reference names (get_counter for any other path)."""
    name = path.split("?", maxsplit=1)[0].rstrip("/").removeprefix(endpoints.BASE)
    return name if name in endpoints.ENDPOINTS else endpoints.GET_COUNTER.name


@contextmanager
def xml_numbers(exact: bool) -> Iterator[None]:
    """XML request texts typed as numbers become Decimals (``exact``) or floats, while parsing."""
    token = xsd.EXACT.set(exact)
    try:
        yield
    finally:
        xsd.EXACT.reset(token)


def bearer(value: str | None) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, or None."""
    if value and value[:7].lower() == "bearer ":
        return value[7:].strip() or None
    return None


def xml_root(raw: bytes) -> Element:
    """An XML request's ``<xml>`` root, parsed defensively; anything else is a 400 (reads and writes)."""
    try:
        root = xmlcodec.parse(raw)
    except xmlcodec.XMLDecodeError as exc:
        raise Reject(400, f"Incorrect request: XML {exc}") from None
    if root.tag != "xml":
        raise Reject(400, "Incorrect request: the root element must be <xml>")
    return root


def flat_xml_fields(raw: bytes, style: Style | None = None) -> dict[str, Any]:
    """The fields of an XML read request: one text element each, typed by the request XSD (a
    repeated element refused, or one of them kept, as ``style`` says)."""
    root = xml_root(raw)
    root = (reading.xml_repeats(root, style) if style else None) or root
    names = [child.tag for child in root]
    if any(len(child) for child in root) or len(set(names)) != len(names):
        raise Reject(400, "Incorrect request: each field must be a single text element")
    return xmlcodec.decode_request(root)  # typed by the request XSD (rel_id is an integer, ...)


def json_fields(raw: bytes, style: Style | None = None, exact: bool = False) -> dict[str, Any]:
    """The fields of a JSON request: the body must be one JSON object (read as ``style`` says where
    RFC 8259 leaves it to the reader; ``exact``: numbers that are not integers as the Decimal their
    text writes)."""
    try:
        doc = (reading.json_document(raw, style) if style else
               json.loads(raw.decode("utf-8"), parse_float=Decimal if exact else float))
    except (ValueError, RecursionError):
        raise Reject(400, "Incorrect request: the body is not JSON") from None
    if not isinstance(doc, dict):
        raise Reject(400, "Incorrect request: the body must be a JSON object")
    return doc
