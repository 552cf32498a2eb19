"""Token classes, XML syntax and identifiers x modes: verdicts from R2, R3, X1, M1, M5, M6."""

from __future__ import annotations

import pytest

from altcraft_contract.contract import inputs_wire
from altcraft_contract.reference.server import target_for
from altcraft_contract.wire import xmlcodec

TARGET = target_for("http://127.0.0.1:1", "v74")


@pytest.mark.parametrize("tc", inputs_wire.TOKEN_CLASSES, ids=lambda tc: tc.name)
def test_token_verdicts_follow_r2_and_r3_words(tc: inputs_wire.TokenClass) -> None:
    v = inputs_wire.token_verdict(tc)
    if tc.name in ("absent", "null", "empty"):
        assert (v.clause, v.codes) == ("R2", {401})
    elif "token in body" in tc.name:  # Bearer alone beside a body token: the two disagree (free)
        assert (v.clause, v.outcome) == ("T3", "any")
    else:
        assert (v.clause, v.codes) == ("R3", {401, 403})


@pytest.mark.parametrize("syntax", xmlcodec.XML_SYNTAXES)
def test_xml_syntax_bodies_decode_to_the_plain_request(syntax: str) -> None:
    fields = [("token", "t"), ("rel_id", 3), ("matching", "profile_id"), ("profile_id", "5c910f6bc484d023b1309bee")]
    plain = xmlcodec.decode_request(xmlcodec.parse(xmlcodec.encode_request(fields)))
    styled = xmlcodec.encode_request_as(fields, syntax)
    assert styled != xmlcodec.encode_request(fields)
    assert xmlcodec.decode_request(xmlcodec.parse(styled)) == plain


def test_every_identifier_is_sent_in_every_mode_that_takes_it() -> None:
    a1 = TARGET.profiles[0]
    rows = {r.name: r for r in inputs_wire.identifier_rows(TARGET, a1)}
    assert rows["subscription email, matching omitted"].expect.clause == "M1"  # M1: omitted means email
    assert rows["subscription email, matching=email"].expect.outcome == "success"
    sub_profile = rows["subscription email, matching=email_profile"].expect
    assert (sub_profile.clause, sub_profile.outcome) == ("M6", "error")  # M6: own email only
    assert rows["own email, matching=email_profile"].expect.outcome == "success"
    assert rows["profile_id, matching omitted"].expect.clause == "M5"
    assert {"phone, matching=phone", "custom, matching=custom"} <= set(rows)
