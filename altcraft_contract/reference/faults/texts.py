"""Faults in reading the request's text (``contract/inputs_text.py``): a JSON or XML reader that is
too lenient, too strict or falls over, another HTTP method or a mislabelled body answered with a
crash. Each is a plausible server bug that only a class of the text dimension sends, and each breaks
one clause."""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree.ElementTree import Element

from ...wire import xmlcodec
from ..incoming import Crash, Reject
from . import Fault

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append

BOM = b"\xef\xbb\xbf"


def _media(inc: Any) -> str:
    return str(inc.content_type).split(";")[0].strip().lower()


def _json_body(hook: Any) -> Any:
    """A request hook that acts on bodies labelled JSON only."""
    def run(app: Any, inc: Any) -> None:
        if _media(inc) == "application/json":
            hook(app, inc)
    return run


def _xml_body(hook: Any) -> Any:
    def run(app: Any, inc: Any) -> None:
        if _media(inc) in ("application/xml", "text/xml"):
            hook(app, inc)
    return run


def _loads(raw: bytes, **kw: Any) -> Any:
    try:
        return json.loads(raw.decode("utf-8"), **kw)
    except (ValueError, RecursionError):
        return None


def _crash_if(cond: bool, why: str) -> None:
    if cond:
        raise Crash(why)


# --- JSON ----------------------------------------------------------------------------------

def _pairs_crash(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Crash("duplicate key")  # a reader that inserts into a map that refuses a key twice
    return dict(pairs)


register(Fault("duplicate_keys_crash", "R6", "falls over (HTML 500) on a JSON object with a key twice",
               request=_json_body(lambda app, inc: _loads(inc.raw, object_pairs_hook=_pairs_crash))))
register(Fault("deep_objects_crash", "R6", "falls over on JSON objects nested more than 500 deep (a recursive reader)",
               request=_json_body(lambda app, inc: _crash_if(inc.raw.count(b"{") > 500, "recursion"))))



def _double(text: str) -> float:
    value = float(text)
    mantissa = text.lower().split("e")[0].strip("-+0.")
    _crash_if(value in (float("inf"), float("-inf")) or (value == 0 and bool(mantissa)), "number out of range")
    return value


# The numbers name no relation (R5): a crash on them is E1's, not an R6 probe's.
register(Fault("huge_number_crash", "E1", "falls over on a number beyond a double's range (1e400, 1e-400)",
               request=_json_body(lambda app, inc: _loads(inc.raw, parse_float=_double))))


def _lenient_numbers(app: Any, inc: Any) -> None:
    # A hand-written reader that takes 03 and +3 for 3 (JSON has neither).
    inc.raw = re.sub(rb"(:\s*)\+?0*(?=[1-9])", rb"\1", inc.raw)


register(Fault("lenient_json_numbers", "R4", "reads the numbers 03 and +3, which are not JSON, as 3",
               request=_json_body(_lenient_numbers)))


def _first_value_only(app: Any, inc: Any) -> None:
    try:
        text = inc.raw.decode("utf-8")
        _, end = json.JSONDecoder().raw_decode(text)
    except (ValueError, RecursionError):
        return
    if text[end:].strip():
        inc.raw = text[:end].encode()  # what follows the first value is ignored


register(Fault("trailing_data_ignored", "R4", "reads the first JSON value and ignores what follows it",
               request=_json_body(_first_value_only)))


def _empty_as_500(app: Any, inc: Any) -> None:
    if not inc.raw.strip():
        raise Reject(500, "Internal error: unexpected end of input")


register(Fault("empty_body_error_500", "R4", "answers an empty or whitespace body with error 500 (an envelope)",
               request=_json_body(_empty_as_500)))


def _unwrap(app: Any, inc: Any) -> None:
    doc = _loads(inc.raw)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict):
        inc.raw = json.dumps(doc[0]).encode()  # a batch reader that serves the first request of an array


register(Fault("top_level_array_unwrapped", "R4", "reads a JSON array holding a request as that request",
               request=_json_body(_unwrap)))


def _drop_ascii_escapes(app: Any, inc: Any) -> None:
    # A hand-written unescaper that drops \u00XX escapes of printable ASCII instead of decoding them.
    inc.raw = re.sub(rb"\\u00[2-7][0-9a-fA-F]", b"", inc.raw)


# Escaped keys lose their names, the token's too: the server says "token required" (401) to a
# request that carried a valid one, which R1 sees as well.
register(Fault("unicode_escapes_mangled", "T2", "drops \\u00XX escapes of printable characters instead of decoding "
               "them", also=("R1",), request=_json_body(_drop_ascii_escapes)))
register(Fault("bom_crash", "R6", "falls over on a body that starts with a byte order mark (JSON or XML)",
               request=lambda app, inc: _crash_if(inc.raw.startswith(BOM), "BOM")))


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    return [s for v in value for s in _strings(v)] if isinstance(value, list) else []


def _unencodable(app: Any, inc: Any) -> None:
    for s in _strings(_loads(inc.raw)):
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            raise Crash("a lone surrogate cannot be written as UTF-8") from None


register(Fault("lone_surrogate_crash", "R6", "falls over on a string holding a lone surrogate (\\ud800)",
               request=_json_body(_unencodable)))


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.lstrip().startswith(b"{")
    return False


register(Fault("non_utf8_string_crash", "R6", "falls over on a JSON object whose strings hold bytes that are not UTF-8",
               request=_json_body(lambda app, inc: _crash_if(_not_utf8(inc.raw), "not UTF-8"))))

# --- XML -----------------------------------------------------------------------------------

_ATTRIBUTE = re.compile(rb"<[^>!?/]*\s[\w:.-]+\s*=")
register(Fault("xml_attributes_crash", "R6", "falls over on an XML request with an attribute or a namespace declaration",
               request=_xml_body(lambda app, inc: _crash_if(bool(_ATTRIBUTE.search(inc.raw)), "attribute"))))


def _concatenate_repeats(app: Any, inc: Any) -> None:
    try:
        root = xmlcodec.parse(inc.raw)
    except xmlcodec.XMLDecodeError:
        return
    names = [c.tag for c in root]
    if len(set(names)) == len(names):
        return
    flat = Element("xml")
    for name in dict.fromkeys(names):  # a reader that appends the text of every element of a name
        el = Element(str(name))
        el.text = "".join(c.text or "" for c in root if c.tag == name)
        flat.append(el)
    inc.fields, inc.body_format, inc.parsed = xmlcodec.decode_request(flat), "xml", True


register(Fault("xml_repeats_concatenated", "R6", "joins the texts of a repeated XML element into one value",
               request=_xml_body(_concatenate_repeats)))


def _pi_refused(app: Any, inc: Any) -> None:
    if b"<?" in inc.raw.lstrip().removeprefix(BOM)[2:]:  # any PI but a leading declaration
        raise Reject(400, "Incorrect request: unexpected processing instruction")


register(Fault("xml_processing_instruction_refused", "X1", "refuses an XML request holding a processing instruction",
               request=_xml_body(_pi_refused)))


def _close_root(app: Any, inc: Any) -> None:
    body = inc.raw.rstrip()
    if body.startswith(b"<xml>") and not body.endswith(b"</xml>"):
        inc.raw = body + b"</xml>"  # a recovering reader closes what the text left open


register(Fault("xml_unclosed_recovered", "R4", "recovers an XML request whose root is not closed",
               request=_xml_body(_close_root)))


# --- HTTP methods and Content-Type ---------------------------------------------------------


def _put_500(app: Any, inc: Any, reply: Any) -> Any:
    if inc.method == "PUT":
        reply.status = 500
    return reply


register(Fault("put_http_500", "R6", "answers a PUT with HTTP 500", wire=_put_500))


def _mislabelled(app: Any, inc: Any) -> None:
    head, media = inc.raw.lstrip()[:1], _media(inc)
    if (media == "application/xml" and head == b"{") or (media == "application/json" and head == b"<"):
        raise Crash("the body is not in the format its Content-Type names")


register(Fault("mislabelled_body_crash", "R6", "falls over on a JSON body labelled XML, or an XML body labelled JSON",
               request=_mislabelled))
