"""Faults in how requests are understood: matching (M), errors (R), idempotency (I)."""

from __future__ import annotations

from typing import Any

from ...contract import schemas
from ..data import A1, xxh
from ..incoming import Crash, Reject
from . import Fault

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append


def _mode(inc: Any) -> str:
    return str(inc.fields.get("matching", "email" if "email" in inc.fields else "profile_id"))


def _valid(inc: Any) -> bool:
    """The request is correct apart from what the fault does (faults must not change R4)."""
    return not any(True for _ in schemas.violations("request", inc.fields, "R4"))


def _reject_if(pred: Any, code: int, text: str) -> Any:
    def hook(app: Any, inc: Any) -> None:
        if pred(inc):
            raise Reject(code, text)
    return hook


# --- M: matching ---------------------------------------------------------------------------

register(Fault("default_mode_not_email", "M1", "treats a request without matching as incorrect, even with an email",
               fields=_reject_if(lambda inc: "matching" not in inc.fields and "email" in inc.fields,
                                 400, "Incorrect request: matching required")))
# Also M3 (phone with resource_id) and T2 (phone in an XML body: the input model sends it there too).
register(Fault("phone_mode_not_found", "M2", "never finds a profile by phone", also=("M3", "T2"),
               fields=_reject_if(lambda inc: inc.fields.get("matching") == "phone" and _valid(inc),
                                 404, "Profile not found")))


def _custom_integers_only(app: Any, inc: Any) -> None:
    # Only profiles whose custom field holds a string miss (A2's "A-77"); integer ones are found.
    value = inc.fields.get("field_value")
    if inc.fields.get("matching") == "custom" and isinstance(value, str) and _valid(inc):
        raise Reject(404, "Profile not found")


register(Fault("custom_string_value_not_found", "M2", 'finds custom fields holding integers only, never "A-77"',
               fields=_custom_integers_only))


def _ignore_resource(app: Any, inc: Any) -> None:
    if _valid(inc):
        inc.fields.pop("resource_id", None)


register(Fault("resource_id_ignored", "M3", "ignores resource_id", fields=_ignore_resource))
register(Fault("resource_id_breaks_phone", "M3", "finds nothing by phone when resource_id is given",
               fields=_reject_if(lambda inc: "resource_id" in inc.fields and _mode(inc) == "phone" and _valid(inc),
                                 404, "Profile not found")))


def _drop_like(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    if env.get("error") == 0 and inc.fields.get("matching") == "email_profile":
        env["data"]["props"].pop("Like", None)
    return env


# relations/get still lists the property for that mode, so C2 (which reads every mode) sees it too.
register(Fault("email_profile_drops_property", "M4", "loses a property when matched by email_profile",
               also=("C2",), envelope=_drop_like))


def _shorter_top(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    if env.get("error") == 0 and inc.fields.get("matching") == "email_profile":
        for prop in env["data"]["props"].values():
            if isinstance(prop.get("top"), list):
                prop["top"] = prop["top"][:1]
    return env


# How many items top holds is free (D6, C4 hold), but one profile's data differs between modes.
register(Fault("email_profile_shortens_top", "M4", "shows only the first top item when matched by email_profile",
               envelope=_shorter_top))
register(Fault("profile_id_needs_matching", "M5", "refuses profile_id without matching",
               fields=_reject_if(lambda inc: "matching" not in inc.fields and "email" not in inc.fields,
                                 400, "Incorrect request: email required")))


def _subs_for_email_profile(app: Any, inc: Any) -> None:
    if inc.fields.get("matching") == "email_profile":
        inc.fields["matching"] = "email"


register(Fault("email_profile_searches_subscriptions", "M6", "lets email_profile find subscription emails",
               fields=_subs_for_email_profile))

# --- R: errors -----------------------------------------------------------------------------


def _bad_as_401(app: Any, inc: Any) -> None:
    if any(True for _ in schemas.violations("request", inc.fields, "R4")):
        raise Reject(401, "API token required")


register(Fault("bad_request_as_401", "R1", "answers an incorrect request with 401 although the token is valid",
               fields=_bad_as_401))
register(Fault("missing_token_403", "R2", "answers a missing token with 403",
               envelope=lambda app, inc, env: {**env, "error": 403} if env["error"] == 401 else env))


def _empty_token_ok(app: Any, inc: Any) -> None:
    if inc.fields.get("token") == "" and not inc.header_token:
        inc.fields["token"] = next(iter(app.tokens))


register(Fault("empty_token_accepted", "R2", "accepts an empty body token", parsed=_empty_token_ok))
register(Fault("any_token_accepted", "R3", "accepts any token", auth=lambda app, inc: setattr(inc, "token_ok", True)))


def _coerce_rel_id(app: Any, inc: Any) -> None:
    rel = inc.fields.get("rel_id")
    if isinstance(rel, str) and rel.strip().isdigit():
        inc.fields["rel_id"] = int(rel)


register(Fault("rel_id_string_accepted", "R4", 'accepts rel_id "3" as 3', fields=_coerce_rel_id))


def _unknown_matching(app: Any, inc: Any) -> None:
    if "matching" in inc.fields and inc.fields["matching"] not in schemas.matching_modes():
        inc.fields["matching"] = "email"


register(Fault("unknown_matching_as_email", "R4", "treats an unknown matching as email", fields=_unknown_matching))


def _fake_profile(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    if env.get("error_text") == "Profile not found":
        data: dict[str, Any] = {"profile_id": A1, "profile_xxh": xxh(A1), "props": {}}
        if app.api_version == "v74":
            data["total"] = 0
        return {"data": data, "error": 0, "error_text": "Successful operation"}
    return env


register(Fault("not_found_as_success", "R5", "answers an unknown profile with an empty success", also=("D1", "M3", "M6"),
               envelope=_fake_profile))
register(Fault("unknown_rel_id_as_403", "R5", "answers an unknown relation with 403",
               envelope=lambda app, inc, env: {**env, "error": 403} if env.get("error_text") == "Relation not found"
               else env))


def _crash_on_nesting(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    if inc.raw.count(b"[") > 1000:  # deep nesting is "handled" by falling over
        raise Crash("recursion")
    return env


register(Fault("crash_on_deep_nesting", "R6", "fails with HTTP 500 on deeply nested JSON", envelope=_crash_on_nesting))

# --- I: idempotency ------------------------------------------------------------------------


def _is_repeat(app: Any, inc: Any) -> bool:
    """The request is byte-for-byte the one just before it (the state the I1 faults key on)."""
    key = inc.raw + (inc.token or "").encode() + (inc.query_format or "").encode()
    repeat = bool(key == app.last_key)
    app.last_key = key
    return repeat


def _stale_repeat(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    # A read-through cache gone wrong: an identical request right after itself counts again.
    if _is_repeat(app, inc) and env.get("error") == 0:
        like = env["data"]["props"].get("Like")
        if like and like.get("sum") is not None:
            like["sum"] += 1
    return env


def _quota_on_repeat(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    # A quota that counts a read as a write: the same request twice in a row hits the tariff limit.
    if _is_repeat(app, inc) and env.get("error") == 0:
        return {"error": 402, "error_text": "Tariff limit reached"}
    return env


register(Fault("repeat_counts_again", "I1", "counts an identical request again when it follows itself", envelope=_stale_repeat))
# Hypothesis may draw one request twice in a row, so generated valid requests can see it too; shrunk,
# the example is the plainest valid call or the documented example (M5), which draws fewer choices.
register(Fault("repeat_hits_tariff_limit", "I1", "answers 402 to an identical request that follows itself",
               also=("M2", "M5"), envelope=_quota_on_repeat))


def _crash_on_big_rel_id(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    rel = inc.fields.get("rel_id")
    if isinstance(rel, int) and not isinstance(rel, bool) and rel > 2**31 - 1:  # a 32-bit column overflows
        raise Crash("rel_id overflow")
    return env


register(Fault("big_rel_id_crash", "E1", "falls over with an HTML 500 when rel_id exceeds 32 bits", also=("R6",),
               envelope=_crash_on_big_rel_id))
