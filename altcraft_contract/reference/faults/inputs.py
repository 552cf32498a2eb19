"""Faults in how input classes are read: coercions, fixed-width columns, unbounded strings, token
comparisons, XML syntax, the default mode. Each is a plausible server bug that only a class of the
input model (``inputs.py``, ``inputs_wire.py``) sends, and each breaks one clause."""

from __future__ import annotations

from typing import Any

from ..incoming import Crash, Reject
from . import Fault

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append

_IDENTIFIERS = ("email", "phone", "profile_id", "field_name", "field_value")


def _coerce_booleans(app: Any, inc: Any) -> None:
    # Python's bool is an int: a server that checks isinstance(x, int) takes true for 1.
    for name in ("rel_id", "resource_id"):
        if isinstance(inc.fields.get(name), bool):
            inc.fields[name] = int(inc.fields[name])


register(Fault("bool_as_integer", "R4", "takes true/false for 1/0 in rel_id and resource_id", fields=_coerce_booleans))


def _int32_resource(app: Any, inc: Any) -> None:
    rid = inc.fields.get("resource_id")
    if isinstance(rid, int) and not isinstance(rid, bool) and not -(2**31) <= rid < 2**31:
        raise Crash("resource_id overflows a 32-bit column")


register(Fault("resource_id_int32_crash", "E1", "falls over with an HTML 500 when resource_id exceeds 32 bits",
               also=("R6",), fields=_int32_resource))


def _strings(inc: Any) -> list[str]:
    return [v for k in _IDENTIFIERS if isinstance(v := inc.fields.get(k), str)]


def _unbounded(app: Any, inc: Any) -> None:
    if any(len(v) > 1000 for v in _strings(inc)):
        raise Crash("identifier longer than its buffer")


register(Fault("long_identifier_crash", "R6", "falls over on an identifier longer than 1,000 characters",
               also=("E1",), fields=_unbounded))


def _utf8mb3(app: Any, inc: Any) -> None:
    if any(ord(c) > 0xFFFF for v in _strings(inc) for c in v):
        raise Crash("4-byte UTF-8 in a 3-byte column")


register(Fault("emoji_crash", "R6", "falls over on a character outside the BMP (a utf8mb3 column)", also=("E1",),
               fields=_utf8mb3))


def _length_only(app: Any, inc: Any) -> None:
    if any(len(inc.token) == len(t) for t in app.tokens):
        inc.token_ok = True


register(Fault("token_length_only", "R3", "accepts any token with a valid token's length", auth=_length_only))


def _prefix_ok(app: Any, inc: Any) -> None:
    if any(t.startswith(inc.token) for t in app.tokens):
        inc.token_ok = True


register(Fault("token_prefix_accepted", "R3", "accepts any prefix of a valid token", auth=_prefix_ok))


def _fixed_width(app: Any, inc: Any) -> None:
    if any(inc.token[: len(t)] == t for t in app.tokens):
        inc.token_ok = True


register(Fault("token_suffix_ignored", "R3", "compares only a valid token's length of characters",
               auth=_fixed_width))


def _empty_bearer(app: Any, inc: Any) -> None:
    if inc.authorization.strip().lower() == "bearer" and inc.fields.get("token") in (None, ""):
        inc.fields["token"] = next(iter(app.tokens))  # "Bearer" alone taken as the default account


register(Fault("empty_bearer_accepted", "R3", "takes an Authorization: Bearer with no token as the default account",
               parsed=_empty_bearer))


def _no_declaration(app: Any, inc: Any) -> None:
    if "xml" in inc.content_type and inc.raw.lstrip().startswith(b"<?xml") and b"<!DOCTYPE" not in inc.raw:
        raise Reject(400, "Incorrect request: unexpected processing instruction")


register(Fault("xml_declaration_refused", "X1", "refuses an XML request that starts with <?xml ...?>",
               request=_no_declaration))


def _default_own_email(app: Any, inc: Any) -> None:
    if "matching" not in inc.fields and "email" in inc.fields:
        inc.fields["matching"] = "email_profile"  # the default searches the profile's own email only


register(Fault("default_mode_skips_subscriptions", "M1", "without matching, finds own emails but not subscription "
               "emails", fields=_default_own_email))


def _trim_matching(app: Any, inc: Any) -> None:
    if isinstance(inc.fields.get("matching"), str):
        inc.fields["matching"] = inc.fields["matching"].strip()


register(Fault("matching_trimmed", "R4", 'accepts " profile_id " as profile_id', fields=_trim_matching))


def _phone_number(app: Any, inc: Any) -> None:
    if isinstance(inc.fields.get("phone"), int) and not isinstance(inc.fields["phone"], bool):
        inc.fields["phone"] = str(inc.fields["phone"])


register(Fault("phone_number_coerced", "R4", "takes a JSON number for phone as its digits", fields=_phone_number))
