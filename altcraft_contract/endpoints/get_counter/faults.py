"""get_counter's own faults (E2, D1-D6): each breaks one clause of its success data."""

from __future__ import annotations

from typing import Any

import xxhash

from ...reference.faults import Fault, _on_success, _props

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append

register(Fault("success_data_as_list", "E2", "wraps success data in a list",
               envelope=lambda app, inc, env: {**env, "data": [env["data"]]} if env["error"] == 0 else env))


# --- D: data -------------------------------------------------------------------------------


def _upper_id(data: dict[str, Any]) -> None:
    data["profile_id"] = data["profile_id"].upper()


def _seed1(data: dict[str, Any]) -> None:
    data["profile_xxh"] = xxhash.xxh64_hexdigest(data["profile_id"].encode(), seed=1)


def _null_props(data: dict[str, Any]) -> None:
    if data["props"] == {}:
        data["props"] = None


def _top_strings(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        for item in prop.get("top") or []:
            item["value"] = str(item["value"])


def _sum_strings(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        if isinstance(prop.get("sum"), float):  # only float sums (A1's Cyrillic property)
            prop["sum"] = f"{prop['sum']}"


def _drop_total(data: dict[str, Any]) -> None:
    data.pop("total", None)


def _drop_prop_total(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        prop.pop("total", None)


def _ascending(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        if prop.get("top"):
            prop["top"] = sorted(prop["top"], key=lambda i: i["value"])


def _dup_top(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        top = prop.get("top")
        if top and len(top) > 2:
            top[1] = {**top[1], "profile_id": top[0]["profile_id"]}


def _prop_total_over(data: dict[str, Any]) -> None:
    for prop in _props(data).values():
        if "total" in prop:
            prop["total"] = data.get("total", 0) + 1


register(Fault("profile_id_uppercase", "D1", "sends profile_id in upper case", envelope=_on_success(_upper_id)))
register(Fault("xxh_seed_1", "D2", "hashes profile_id with seed 1", envelope=_on_success(_seed1)))
register(Fault("empty_props_null", "D3", "sends props: null for a profile with no relations",
               envelope=_on_success(_null_props)))
register(Fault("top_value_string", "D4", "sends top values as strings", envelope=_on_success(_top_strings)))
register(Fault("float_sum_string", "D4", "sends float sums as strings", envelope=_on_success(_sum_strings)))
register(Fault("no_data_total", "D5", "omits data.total (v74)", envelope=_on_success(_drop_total)))
register(Fault("no_property_total", "D5", "omits each property's total (v74)", envelope=_on_success(_drop_prop_total)))
register(Fault("top_ascending", "D6", "orders top smallest first", envelope=_on_success(_ascending)))
register(Fault("top_duplicate_profile", "D6", "repeats a profile in a long top", envelope=_on_success(_dup_top)))
register(Fault("property_total_exceeds", "D6", "gives a property total above data.total",
               envelope=_on_success(_prop_total_over)))


def _case_blind_lookup(app: Any, inc: Any) -> None:
    """profile_id looked up whatever its letter case, the request's spelling kept for the answer."""
    pid = inc.fields.get("profile_id")
    if isinstance(pid, str) and pid != pid.lower() and inc.fields.get("matching", "profile_id") == "profile_id":
        inc.fields["profile_id"] = pid.lower()
        inc.spelled = pid


def _echo_spelling(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    spelled = getattr(inc, "spelled", None)
    if spelled is not None and env.get("error") == 0 and isinstance(env.get("data"), dict):
        data = env["data"]
        data["profile_id"], data["profile_xxh"] = spelled, xxhash.xxh64_hexdigest(spelled.encode())
    return env


register(Fault("profile_id_echoes_the_requests_letter_case", "D1", "finds a profile_id in any letter case and "
               "answers with the request's spelling (its xxh from that spelling)", fields=_case_blind_lookup,
               envelope=_echo_spelling))
