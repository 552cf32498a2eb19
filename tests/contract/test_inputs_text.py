"""The text dimension of the input model: every class's text is what its kind says (it does not
parse, it parses but is not the request, it is the same request), and its verdict is its kind's rule."""

from __future__ import annotations

import json

import pytest

from altcraft_contract.contract import inputs_text
from altcraft_contract.contract.calls import BODY_TOKEN, Auth
from altcraft_contract.reference.server import target_for
from altcraft_contract.wire import xmlcodec

TARGET = target_for("http://127.0.0.1:1", "v74")
PID = TARGET.profiles[0].profile_id
PLAIN = {"token": BODY_TOKEN, "rel_id": TARGET.rel_id, "matching": "profile_id", "profile_id": PID}
CLASSES = {c.name + f" ({c.group})": c for c in inputs_text.CLASSES}


def _of(*kinds: str) -> list[inputs_text.TextClass]:
    return [c for c in inputs_text.JSON_CLASSES if c.kind in kinds]


def _text(cls: inputs_text.TextClass) -> bytes:
    raw = inputs_text.text_call(TARGET, cls).raw_body
    assert raw is not None
    return raw


@pytest.mark.parametrize("cls", _of("not a text"), ids=lambda c: c.name)
def test_a_class_that_is_not_json_does_not_parse(cls: inputs_text.TextClass) -> None:
    with pytest.raises(ValueError):
        json.loads(_text(cls).decode("utf-8"))


@pytest.mark.parametrize("cls", _of("not the request", "refused"), ids=lambda c: c.name)
def test_a_class_that_is_not_the_request_parses_into_something_else(cls: inputs_text.TextClass) -> None:
    try:
        doc = json.loads(_text(cls).decode("utf-8"))
    except RecursionError:
        return  # a depth this reader refuses: no request either
    assert not isinstance(doc, dict) or not isinstance(doc.get("profile_id"), str)


@pytest.mark.parametrize("cls", _of("same request"), ids=lambda c: c.name)
def test_the_same_request_written_differently_reads_as_the_plain_one(cls: inputs_text.TextClass) -> None:
    assert json.loads(_text(cls).decode("utf-8")) == PLAIN


@pytest.mark.parametrize("name", ["a processing instruction", "a byte order mark"])  # the BOM: if read
def test_xml_texts_a_parser_reads_as_the_plain_request(name: str) -> None:
    cls = next(c for c in inputs_text.XML_CLASSES if c.name == name)
    fields = xmlcodec.decode_request(xmlcodec.parse(_text(cls)))
    assert fields == {**PLAIN, "token": BODY_TOKEN}


def test_every_class_is_its_own_bytes() -> None:
    texts = [(c.method, c.content_type, _text(c)) for c in inputs_text.CLASSES]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("cls", inputs_text.CLASSES, ids=lambda c: f"{c.group}: {c.name}")
def test_the_token_is_in_the_body_of_an_object_text_and_in_the_header_otherwise(cls: inputs_text.TextClass) -> None:
    call = inputs_text.text_call(TARGET, cls)
    carries = BODY_TOKEN.encode() in _text(cls)
    assert call.auth is (Auth.BODY if carries else Auth.HEADER)
    if cls.kind == "not a text" or (cls.kind == "not the request" and not _text(cls).lstrip().startswith(b"{")):
        assert not carries  # a text no reader can take a token from carries none: one fault only


@pytest.mark.parametrize(("name", "outcome", "clause", "codes", "forbidden"), [
    ("a leading zero (03) (JSON text)", "error", "R4", {400}, set()),
    ("a top-level array holding the request (JSON text)", "error", "R4", {400}, set()),
    ("nesting 10 deep in profile_id (JSON text)", "error", "R4", {400}, set()),
    ("nesting 10,000 deep in profile_id (JSON text)", "error", "R6", {400, 401}, set()),
    ("profile_id written as \\u00XX escapes (JSON text)", "success", "T2", None, set()),
    ("a processing instruction (XML text)", "success", "X1", None, set()),
    ("a byte order mark (XML text)", "found_or_none", "R6", {400, 401}, {402, 403}),  # allowed, often refused
    ("a byte order mark (JSON text)", "found_or_none", "R6", {400, 401}, {402, 403}),  # RFC 8259: ignore or refuse
    ("a duplicate key with the same value (JSON text)", "found_or_none", "R6", {400, 401}, {402, 403}),
    ("a repeated element with the same value (XML text)", "found_or_none", "R6", {400}, {401, 402, 403}),
    ("a duplicate key, another value first (JSON text)", "found_or_none", "R6", None, {402, 403}),
    ("nesting 100 deep in a field the contract does not name (JSON text)", "found_or_none", "R6", None,
     {401, 402, 403}),
    ("rel_id -0 (JSON text)", "error", "R5", None, {401, 402, 403}),  # 0 names no relation
    ("rel_id 1e400 (JSON text)", "error", "R5", None, {402, 403}),  # refused whole: its token too
    ("rel_id of 20 digits (JSON text)", "found_or_none", "R5", None, {401, 402, 403}),
    ("rel_id with an exponent (3E0, 1E2's form) (JSON text)", "found_or_none", "R4", None, {401, 402, 403}),
    ("a DOCTYPE without entities (XML text)", "found_or_none", "X6", None, {402, 403}),
    ("PUT (HTTP method)", "any", "R6", None, set()),
    ("the media type in upper case (APPLICATION/JSON) (Content-Type)", "found_or_none", "R6", None, {402, 403}),
])
def test_verdicts_follow_the_kind(name: str, outcome: str, clause: str, codes: set[int] | None,
                                  forbidden: set[int]) -> None:
    v = inputs_text.text_verdict(TARGET, CLASSES[name])
    assert (v.outcome, v.clause, set(v.codes) if v.codes else None, set(v.forbidden)) == (outcome, clause, codes,
                                                                                          forbidden)
    if outcome in ("success", "found_or_none"):
        assert v.profile_id == PID


def test_a_verdict_never_lets_a_text_find_another_profile_or_an_auth_error_pass_where_the_token_was_read() -> None:
    for cls in inputs_text.CLASSES:
        v = inputs_text.text_verdict(TARGET, cls)
        if v.outcome == "found_or_none":
            assert v.profile_id == PID and {402, 403} <= v.forbidden
            assert cls.refusable or 401 in v.forbidden  # 401 only where a reader may refuse the whole text


def test_methods_and_content_types_send_the_plain_request() -> None:
    for cls in inputs_text.METHOD_CLASSES + inputs_text.CONTENT_TYPE_CLASSES:
        call = inputs_text.text_call(TARGET, cls)
        assert call.method == cls.method and call.content_type == cls.content_type
        doc = xmlcodec.decode_request(xmlcodec.parse(_text(cls))) if cls.fmt == "xml" else json.loads(_text(cls))
        assert doc == PLAIN
