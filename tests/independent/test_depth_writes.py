"""The independent implementation's writes in the dimensions of issue 15, sent directly: the values
a write carries (integers near and beyond 2^31, 2^53 and 2^63, decimals no double holds, zero,
booleans) read back exactly and kind-aware; failed writes beside real links changing nothing (W7);
concurrent writes (every strengthen counts, an edit racing a strengthen ends in a serial state);
exact arithmetic (1e16 + 1.5 + -1e16 is 1.5)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from tests.independent.api import B4, B5, B6, PATH, TOKEN, UNKNOWN_B, A, Api, at_once

BIG = [2**31 - 1, 2**31, 2**31 + 1, -(2**31) - 1, 2**53 - 1, 2**53, 2**53 + 1, -(2**53) - 1, 2**63 + 5, 10**20 + 1, -(10**20), 10**300]
DECIMALS = [0.1, 1e-7, 123456789.123, -0.5, 5.0, 1e-200, -1e200, 0.30000000000000004]
VALUES: list[Any] = [*BIG, *DECIMALS, 0, True, False]


def _same(shown: Any, written: Any) -> bool:
    """Kind-aware: a boolean only equals the same boolean, a number the same number exactly
    (``5`` equals ``5.0``; a double equals its shortest text's decimal)."""
    if isinstance(written, bool) or isinstance(shown, bool):
        return type(shown) is type(written) and shown == written
    return Decimal(repr(written) if isinstance(written, float) else written) == Decimal(shown)


def _expected(op: str, value: Any, style: str) -> str:
    """How the link B6 (no link before) shows after the write: "value", "absent" or "empty"."""
    if op == "strengthen" and not isinstance(value, bool) and value == 0 and style == "a":
        return "absent"  # a property that reaches 0 is dropped in style a (and the link has no other)
    return "value"


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("op", ["edit", "strengthen", "attach"])
@pytest.mark.parametrize("send", ["json", "xml"])
def test_written_values_read_back_exactly_and_kind_aware(style: str, op: str, send: str) -> None:
    for value in VALUES:
        api = Api(style=style, exact=True)
        env = api.write(op, B6, {"Gift": value, "Visits": value}, send=send)
        assert env["error"] == 0, (value, env)
        links = api.links()
        if _expected(op, value, style) == "absent":
            assert links[B6] == {}, (value, links)
            continue
        assert _same(links[B6]["Gift"], value) and _same(links[B6]["Visits"], value), (value, links[B6])
        xml = api.links(answer="xml")[B6]["Gift"]
        assert xml is value if isinstance(value, bool) else not isinstance(xml, bool), (value, xml)
        props = api.counter()["props"]
        if isinstance(value, bool):  # no top and no sum over a boolean (booleans are not counted)
            assert props["Gift"]["top"] in (None, []) and props["Visits"]["sum"] is None
        else:
            top = {t["profile_id"]: t["value"] for t in props["Gift"]["top"]}
            total, exact = Decimal(props["Visits"]["sum"]), Decimal(repr(value)) + Decimal("1.5")
            assert _same(top[B6], value) and abs(total - exact) <= abs(exact) * Decimal("1e-15"), (value, total)


@pytest.mark.parametrize("style", ["a", "b"])
def test_strengthen_keeps_integers_exact_beyond_2_53(style: str) -> None:
    api = Api(style=style, exact=True)
    for step in (2**53 + 1, -(2**53), 2**63, -(2**63), 10**20, -(10**20)):
        assert api.write("strengthen", B6, {"Gift": step})["error"] == 0
    assert api.links()[B6]["Gift"] == 1
    assert Decimal(api.counter()["props"]["Gift"]["top"][0]["value"]) == 7  # 7 (B5) is now the largest


@pytest.mark.parametrize(("style", "freedoms", "sum_text"), [("a", "", "0.30000000000000004"), ("b", "", "0.3"),
                                                           ("a", "exact", "0.3"), ("b", "exact", "0.3")])
def test_decimals_are_doubles_in_style_a_and_exact_otherwise(style: str, freedoms: str, sum_text: str) -> None:
    api = Api(style=style, freedoms=freedoms, exact=True)
    api.write("strengthen", B6, {"Visits": 0.1})
    api.write("strengthen", B6, {"Visits": 0.2})
    assert api.links()[B6]["Visits"] == Decimal(sum_text)


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("freedoms", ["", "exact"])
def test_sums_are_exact_1e16_plus_1_5_minus_1e16_is_1_5(style: str, freedoms: str) -> None:
    api = Api(style=style, freedoms=freedoms, exact=True)
    for b, v in ((B4, 1e16), (B5, 1.5), (B6, -1e16)):
        assert api.write("edit", b, {"Visits": v})["error"] == 0
    assert api.counter()["props"]["Visits"]["sum"] == Decimal("1.5")
    broken = Api("double_sums", style, freedoms=freedoms)
    for b, v in ((B4, 1e16), (B5, 1.5), (B6, -1e16)):
        broken.write("edit", b, {"Visits": v})
    assert broken.counter()["props"]["Visits"]["sum"] == 2.0  # what a double sum gives


@pytest.mark.parametrize("style", ["a", "b"])
def test_out_of_range_and_non_numbers_are_400(style: str) -> None:
    api = Api(style=style)
    body = json.dumps({"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": B4}})
    for text in ("1" + "0" * 301, "-1e301", "1e-301", "1e400", "-1e-400", '"5"', "null", "[1]", '{"v": 1}', "1." + "1" * 500):
        _, env = api.call(PATH["edit"], body[:-1] + ', "weights": {"Gift": ' + text + "}}")
        many_digits = text.startswith("1.")  # style a keeps doubles: 500 digits are rounded, style b refuses them
        assert env["error"] == (0 if many_digits and style == "a" else 400), (text, env)
    assert api.links()[B4]["Gift"] in (3, 1.1111111111111112)


# ------------------------------------------------------------------ failed writes beside links

def _body(op: str, b: str) -> dict[str, Any]:
    body: dict[str, Any] = {"token": TOKEN, "rel_id": 9, "profile_a": {"profile_id": A}, "profile_b": {"profile_id": b}}
    if op != "detach":
        body["weights"] = {"Gift": 5, "Visits": 2}
    return body


def _refusal(reason: str, body: dict[str, Any], b: str) -> dict[str, Any]:
    out = dict(body)
    if reason == "unknown rel_id":
        out["rel_id"] = 424242
    elif reason == "unknown profile_b":  # aimed at the existing link's B too: matched by an unknown email
        unknown = {"profile_id": b, "matching": "email", "email": "zz-none@unknown.test"}
        out["profile_b"] = unknown if b == B4 else {"profile_id": UNKNOWN_B}
    elif reason == "weight not a number":
        out["weights"] = {"Gift": 5, "Visits": "two", "Zed": 1}
    else:  # a missing field
        out.pop("weights" if "weights" in out and reason == "missing weights" else "profile_b")
    return out


REASONS = ["unknown rel_id", "unknown profile_b", "weight not a number", "missing profile_b", "missing weights"]


@pytest.mark.parametrize("style", ["a", "b"])
@pytest.mark.parametrize("op", ["strengthen", "edit", "detach", "attach"])
@pytest.mark.parametrize("send", ["json", "xml"])
def test_failed_writes_beside_real_links_change_nothing(style: str, op: str, send: str) -> None:
    for broken in ("", "refusal_after_apply"):
        changed = []
        for reason in REASONS:
            if reason in {"detach": ("weight not a number", "missing weights"), "attach": ("missing weights",)}.get(op, ()):
                continue
            for b in (B4, B6):
                api = Api(broken, style)
                links, counter = api.links(), api.counter()
                env = api.call(PATH[op], _refusal(reason, _body(op, b), b), send)[1]
                assert env["error"] not in (0, 401, 402, 403), (reason, b, env)
                after = api.counter()
                counter.pop("generated_at", None)
                after.pop("generated_at", None)
                if api.links() != links or after != counter:
                    changed.append((reason, b))
        if broken:  # the defect applies what it checked before the refusal
            assert (op == "detach") == (("unknown profile_b", B6) not in changed) == (changed == []), changed
        else:
            assert changed == []


# ------------------------------------------------------------------------------------ time (S1)

@pytest.mark.parametrize("style", ["a", "b"])
def test_concurrent_strengthens_all_count(style: str) -> None:
    api = Api(style=style)
    answers = at_once([lambda: api.twin().write("strengthen", B4, {"Gift": 1, "Visits": 0.5})] * 8)
    assert all(a["error"] == 0 for a in answers)
    assert api.links()[B4] == {"Gift": 11, "Visits": 5.5}
    lossy = Api("lost_updates", style)
    at_once([lambda: lossy.twin().write("strengthen", B4, {"Gift": 1})] * 8)
    assert lossy.links()[B4]["Gift"] < 11  # the defect loses updates


@pytest.mark.parametrize("style", ["a", "b"])
def test_an_edit_racing_a_strengthen_ends_in_a_serial_state(style: str) -> None:
    for _ in range(10):
        api = Api(style=style)
        at_once([lambda: api.twin().write("edit", B4, {"Gift": 100}), lambda: api.twin().write("strengthen", B4, {"Gift": 5})])
        assert api.links()[B4]["Gift"] in (100, 105)  # strengthen then edit, or edit then strengthen


@pytest.mark.parametrize("style", ["a", "b"])
def test_reads_during_writes_see_whole_writes(style: str) -> None:
    api = Api(style=style)
    jobs: list[Any] = [lambda: api.twin().write("strengthen", B4, {"Gift": 1, "Visits": 1})] * 6 + [lambda: api.twin().links()] * 6
    for seen in at_once(jobs):
        if isinstance(seen, dict) and B4 in seen and "profile_a" not in seen:
            assert seen[B4]["Gift"] - 3 == seen[B4]["Visits"] - 1.5  # both weights of a write, or neither
