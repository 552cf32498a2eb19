"""Faults of the XML side (X1-X6), of parity (P1), and of XML bodies and formats (T2, T4).

Several show only for some inputs: a one-item ``top`` (A3), a float sum (A1), an integer
``field_value`` sent in an XML body.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as StdET  # the fault X6 wants: a parser that expands entities
from typing import Any
from xml.sax.saxutils import escape

from ...contract import schemas
from ...wire import xmlcodec
from ..incoming import Reject
from . import Fault

FAULTS: list[Fault] = []  # this module's faults, in order (the catalogue joins every module's)
register = FAULTS.append


def _xml_wire(rewrite: Any) -> Any:
    def hook(app: Any, inc: Any, reply: Any) -> Any:
        if inc.answer_format == "xml":
            reply.body = rewrite(reply.body.decode("utf-8")).encode("utf-8")
        return reply
    return hook


# X1: the root element.
register(Fault("xml_root_response", "X1", "answers XML under <response> instead of <xml>",
               wire=_xml_wire(lambda t: re.sub(r"^(<\?xml[^>]*>\s*)?<xml>", r"\1<response>", t)
                              .replace("</xml>", "</response>"))))

# X2: a one-item top wrapped in <item> instead of being one repeated <top> (only A3 has one).
_ONE_TOP = re.compile(r"(?<!</top>)<top>(<profile_id>[0-9a-f]{24}</profile_id><value>[^<]*</value>)</top>(?!<top>)")
register(Fault("xml_one_item_top_wrapped", "X2", "wraps a one-item top in <item>",
               wire=_xml_wire(lambda t: _ONE_TOP.sub(r"<top><item>\1</item></top>", t))))

# X3: a null written as a word.
register(Fault("xml_null_as_word", "X3", "writes a null sum as <sum>null</sum>",
               wire=_xml_wire(lambda t: t.replace("<sum/>", "<sum>null</sum>"))))


# X4: an XML request parser that insists on rel_id coming first.
def _order_sensitive(app: Any, inc: Any) -> None:
    if inc.body_format == "xml":
        tags = [str(c.tag) for c in xmlcodec.parse(inc.raw) if c.tag not in ("token", "format")]
        if "rel_id" in tags and tags[0] != "rel_id":
            raise Reject(400, "Incorrect request: rel_id must come first")


register(Fault("xml_request_order_sensitive", "X4", "refuses XML requests whose first field is not rel_id",
               parsed=_order_sensitive))


# X5: property names moved into a <name> child of repeated <property> elements.
def _props_as_elements(text: str) -> str:
    root = StdET.fromstring(text)
    props = root.find("data/props")
    for prop in list(props) if props is not None else []:
        name = StdET.Element("name")
        name.text = str(prop.tag)
        prop.insert(0, name)
        prop.tag = "property"
    return StdET.tostring(root, encoding="unicode")


register(Fault("xml_props_as_property_elements", "X5", "renders properties as <property><name>…</name>",
               wire=_xml_wire(_props_as_elements)))


# X6: a parser that expands the entities a request declares.
def _expand_entities(app: Any, inc: Any) -> None:
    if "xml" in inc.content_type and b"<!DOCTYPE" in inc.raw:
        try:
            root = StdET.fromstring(inc.raw)
        except StdET.ParseError as exc:
            raise Reject(400, f"Incorrect request: XML {exc}") from None
        inc.fields, inc.body_format, inc.parsed = xmlcodec.decode_request(root), "xml", True


register(Fault("xml_entities_expanded", "X6", "expands entities declared in an XML request", request=_expand_entities))


# X6: a hand-rolled pre-processor that inlines SYSTEM entities naming local files (the stdlib
# parser above refuses external entities, so this is the fault only the file probes can see).
_SYSTEM_ENTITY = re.compile(r'<!ENTITY\s+(\w+)\s+SYSTEM\s+"file://([^"]+)"\s*>')


def _inline_file_entities(app: Any, inc: Any) -> None:
    if "xml" not in inc.content_type or b"<!DOCTYPE" not in inc.raw:
        return
    text = inc.raw.decode("utf-8", errors="replace")
    entities = dict(_SYSTEM_ENTITY.findall(text))
    if not entities:
        return
    body = re.sub(r"<!DOCTYPE.*?\]>", "", text, count=1, flags=re.S)
    for name, path in entities.items():
        try:
            with open(path, encoding="utf-8") as fh:
                content = fh.read(4096).strip()
        except OSError:
            content = ""
        body = body.replace(f"&{name};", escape(content))
    try:
        root = StdET.fromstring(body)
    except StdET.ParseError as exc:
        raise Reject(400, f"Incorrect request: XML {exc}") from None
    inc.fields, inc.body_format, inc.parsed = xmlcodec.decode_request(root), "xml", True


register(Fault("xml_file_entities_inlined", "X6", "inlines external entities that name local files",
               request=_inline_file_entities))


# P1: the XML answer says something else than the JSON one.
def _round_float_sums(app: Any, inc: Any, env: dict[str, Any]) -> dict[str, Any]:
    if inc.answer_format == "xml" and env.get("error") == 0:
        for prop in env["data"]["props"].values():
            if isinstance(prop.get("sum"), float):  # only float sums (A1)
                prop["sum"] = round(prop["sum"])
    return env


# The rounded sum is no longer the links' sum either: C3 sees it in XML answers.
register(Fault("xml_float_sum_rounded", "P1", "rounds float sums in XML answers", also=("C3",), envelope=_round_float_sums))
register(Fault("xml_error_text_differs", "P1", "says something else in XML answers to incorrect requests",
               envelope=lambda app, inc, env: {**env, "error_text": "Bad request"}
               if inc.answer_format == "xml" and env.get("error") == 400 else env))


# T2 and T4: XML bodies and the format parameter.
def _xml_int_value(app: Any, inc: Any) -> None:
    # Only a correct request: R4 keeps its 400 for an empty field_name beside the integer.
    correct = not any(True for _ in schemas.violations("request", inc.fields, "R4"))
    if inc.body_format == "xml" and inc.fields.get("matching") == "custom" and isinstance(inc.fields.get("field_value"), int) \
            and correct:
        raise Reject(404, "Profile not found")


# Also X4: the same XML body with its fields in another order is missed as well.
register(Fault("xml_int_field_value_not_found", "T2", "misses an integer field_value sent in an XML body",
               also=("P1", "X4"), parsed=_xml_int_value))


def _ignore_body_format(app: Any, inc: Any) -> None:
    inc.answer_format = "xml" if inc.query_format == "xml" else "json"


register(Fault("format_body_ignored", "T4", "ignores format sent as a body field", parsed=_ignore_body_format))


def _xml_body_format_ignored(app: Any, inc: Any) -> None:
    """The answer format of an XML body comes from the query only (the body's <format> is dropped)."""
    if inc.body_format == "xml":
        inc.answer_format = "xml" if inc.query_format == "xml" else "json"


register(Fault("xml_body_format_field_ignored", "T4", "ignores a <format> field in an XML body (the query's "
               "format still counts)", parsed=_xml_body_format_ignored))
