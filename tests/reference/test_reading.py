"""The reference's free choices in reading a text (a key twice, numbers beyond a double, a BOM, a
repeated XML element) and on the wire (a 429 every nth request, failure texts that echo the request)."""

from __future__ import annotations

import httpx
import pytest

from altcraft_contract.reference import data, reading, server
from altcraft_contract.reference.render import Style
from altcraft_contract.wire import xmlcodec

TWICE = b'{"a": 1, "a": 2}'


@pytest.mark.parametrize(("how", "read"), [("last", {"a": 2}), ("first", {"a": 1}), ("refuse", None)])
def test_a_key_twice(how: str, read: dict[str, int] | None) -> None:
    style = Style(duplicate_keys=how)  # type: ignore[arg-type]
    if read is None:
        with pytest.raises(ValueError):
            reading.json_document(TWICE, style)
    else:
        assert reading.json_document(TWICE, style) == read


@pytest.mark.parametrize(("how", "text", "read"), [
    ("double", "1e400", float("inf")), ("exact", "1e400", 10**400), ("exact", "3E0", 3), ("exact", "1.5", 1.5),
    ("refuse", "1e400", None), ("refuse", "1e-400", None), ("refuse", str(2**63), None), ("refuse", "3E0", 3.0),
])
def test_numbers_beyond_a_double(how: str, text: str, read: object) -> None:
    style = Style(huge_numbers=how)  # type: ignore[arg-type]
    if read is None:
        with pytest.raises(ValueError):
            reading.json_document(text.encode(), style)
    else:
        assert reading.json_document(text.encode(), style) == read


def test_a_bom_is_refused_or_ignored() -> None:
    with pytest.raises(ValueError):
        reading.json_document(b"\xef\xbb\xbf{}", Style())
    assert reading.json_document(b"\xef\xbb\xbf{}", Style(bom="accept")) == {}


@pytest.mark.parametrize(("how", "kept"), [("first", "a"), ("last", "b"), ("refuse", None)])
def test_a_repeated_xml_element(how: str, kept: str | None) -> None:
    root = xmlcodec.parse(b"<xml><email>a</email><email>b</email></xml>")
    flat = reading.xml_repeats(root, Style(xml_repeats=how))  # type: ignore[arg-type]
    assert (flat.find("email").text if flat is not None else None) == kept  # type: ignore[union-attr]


def _client(style: Style) -> httpx.Client:
    return httpx.Client(transport=server.inprocess_transport(server.make_app(style=style)), base_url=server.INPROCESS_URL)


def test_every_nth_request_is_answered_429_unread() -> None:
    body = {"token": next(iter(data.VALID_TOKENS)), "rel_id": 3, "matching": "profile_id", "profile_id": data.A1}
    with _client(Style(every_nth_429=3)) as client:
        answers = [client.post("/api/v1.1/relations/get_counter", json=body) for _ in range(6)]
    assert [a.status_code for a in answers] == [200, 200, 429, 200, 200, 429]
    assert answers[2].headers["Retry-After"] == "0" and answers[2].json()["error"] == 429


def test_echoed_failure_texts_are_bounded_and_printable() -> None:
    fields = {"token": "not-the-token-at-all", "rel_id": 3, "matching": "email", "email": "a\x01\x1b[31m" + "z" * 500}
    with _client(Style(echo_values=True)) as client:
        text = client.post("/api/v1.1/relations/get_counter", json=fields).json()["error_text"]
    assert "token=not-the-token-at-all" in text and "\\u0001\\u001b[31m" in text and "\x1b" not in text
    assert len(text) < 300 and text.endswith("…)")


def test_an_echoed_failure_text_is_the_same_for_a_json_and_an_xml_request() -> None:
    fields = {"token": next(iter(data.VALID_TOKENS)), "rel_id": 3, "matching": "custom", "field_name": "CRM_ID",
              "field_value": "123"}
    with _client(Style(echo_values=True)) as client:
        as_json = client.post("/api/v1.1/relations/get_counter", json=fields).json()
        as_xml = client.post("/api/v1.1/relations/get_counter", content=xmlcodec.encode_request(fields.items()),
                             headers={"Content-Type": "application/xml"}).json()
    assert as_json["error_text"] == as_xml["error_text"] and "field_value=123" in as_json["error_text"]
