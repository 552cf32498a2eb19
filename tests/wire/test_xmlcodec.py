"""XML: the XSDs accept the documented examples, the decoder types by the XSD, parsing is defensive,
and parity treats as equal exactly what XML cannot tell apart."""

from __future__ import annotations

import time

import pytest

from altcraft_contract.checks.parity import parity_diff
from altcraft_contract.contract import xsd
from altcraft_contract.wire import xmlcodec

# The documented examples (quoted as data from ../shared/spec/get_counter-v72.txt).
DOC_REQUEST = b"""<xml>
<token>abcdefghijklmnqrstuvwxyz</token>
<rel_id>3</rel_id>
<profile_id>5d63dbdb439e7306b596c5d0</profile_id>
</xml>"""
DOC_RESPONSE = b"""<xml>
<data>
<profile_id>669e6968ebf4ac52b623a997</profile_id>
<profile_xxh>5af1023c84f66195</profile_xxh>
<props/>
</data>
<error>0</error>
<error_text>Successful operation</error_text>
</xml>"""
V74_XML = b"""<?xml version="1.0" encoding="UTF-8"?><xml><error_text>Successful operation</error_text><error>0</error>
<data><total>1</total><profile_xxh>54ec2d76ac22a964</profile_xxh><profile_id>5c910f6bc484d023b1309bee</profile_id>
<props><Donate><total>1</total><top><profile_id>5c910938c484d023b1309bab</profile_id><value>20</value></top><sum/>
</Donate><Like><total>1</total><sum>2</sum></Like><Subscriber><total>1</total></Subscriber></props></data></xml>"""
V74_JSON = {"data": {"profile_id": "5c910f6bc484d023b1309bee", "profile_xxh": "54ec2d76ac22a964", "total": 1,
                     "props": {"Donate": {"total": 1, "top": [{"profile_id": "5c910938c484d023b1309bab", "value": 20}],
                                          "sum": None},
                               "Like": {"total": 1, "top": None, "sum": 2},
                               "Subscriber": {"total": 1, "top": None, "sum": None}}},
            "error": 0, "error_text": "Successful operation"}


@pytest.mark.parametrize("version", ["v72", "v74"])
def test_documented_xml_response_validates(version: str) -> None:
    assert list(xsd.response_schema(version).iter_errors(DOC_RESPONSE)) == []


def test_documented_xml_request_validates() -> None:
    assert list(xsd.schema("request").iter_errors(DOC_REQUEST)) == []


def test_decoder_types_by_the_xsd_and_keeps_a_one_item_top_a_list() -> None:
    # Element order is free (X4), nulls may be empty or absent (X3), <props/> is {} (X2).
    assert xmlcodec.decode_response(V74_XML) == V74_JSON
    assert xmlcodec.decode_response(DOC_RESPONSE)["data"]["props"] == {}


def test_decoder_model_comes_from_the_xsd() -> None:
    prop = xsd.model("response-v74", "property")
    assert (prop.children["top"].shape, prop.children["sum"].shape) == ("array", "nullable")
    assert prop.children["top"].children["value"].kind == "number"
    assert xsd.model("request").children["field_value"].kind == "int_or_string"


def test_request_encoding_round_trips_through_the_request_decoder() -> None:
    fields = [("rel_id", 3), ("matching", "custom"), ("field_name", "CRM_ID"), ("field_value", 123420),
              ("email", "a&b<c>@пример.рф"), ("token", None)]
    decoded = xmlcodec.decode_request(xmlcodec.parse(xmlcodec.encode_request(fields)))
    assert decoded == {"rel_id": 3, "matching": "custom", "field_name": "CRM_ID", "field_value": 123420,
                       "email": "a&b<c>@пример.рф", "token": None}


@pytest.mark.parametrize("body", [
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>',
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY f SYSTEM "file:///etc/passwd">]><xml>&f;</xml>',
    b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><xml>&d;&d;&d;</xml>',
])
def test_hostile_xml_is_refused_quickly(body: bytes) -> None:
    started = time.perf_counter()
    with pytest.raises(xmlcodec.XMLDecodeError, match="refused"):
        xmlcodec.parse(body)
    assert time.perf_counter() - started < 5  # a guard against hanging, not a speed goal


@pytest.mark.parametrize(("j", "x"), [
    (20, 20.0), (None, "<absent>"), ([], None), ({}, None), (1700000000, "1700000000"), (True, "true"),
    ({"a": None}, {}),
])
def test_parity_treats_as_equal_what_xml_cannot_tell_apart(j: object, x: object) -> None:
    assert parity_diff(j, x) == []


@pytest.mark.parametrize(("j", "x"), [(7.75, 8), ("Successful operation", "OK"), ({"a": 1}, {"a": 2}),
                                      ([1, 2], [1]), (1, "one")])
def test_parity_reports_real_differences_with_their_path(j: object, x: object) -> None:
    diffs = parity_diff({"f": j}, {"f": x})
    assert diffs and diffs[0].path.startswith("$.f")
