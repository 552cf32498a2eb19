"""X: the XML form of an answer (X1-X3, X5) checked on the tree and against the XSD; X6 probes.

Value errors (a pattern, a number) are left to the D and E checks, which see the decoded value;
the XML checks report the shape: root, repeated elements, nulls, property names.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from xml.etree.ElementTree import Element

import xmlschema

from .. import endpoints
from ..contract import xsd
from ..contract.target import Target
from ..contract.xsd import Field
from ..wire import xmlcodec
from ..wire.client import Exchange
from .base import fail
from .failures import Failure
from .registry import CheckList

CHECKS = CheckList()  # this module's checks, in order (checks/all.py joins every module's)
check = CHECKS.check

NULL_WORDS = frozenset({"null", "nil", "none", "undefined"})
_STRUCTURAL = (xmlschema.validators.XsdGroup, xmlschema.validators.XsdComplexType, xmlschema.validators.XsdElement)
X6_BOUND_SECONDS = 2.0
X6_MARKER = "altcraft-contract-x6-marker"


def is_xml_answer(ex: Exchange) -> bool:
    return ex.call.answer == "xml" and ex.text is not None and ex.status is not None and ex.status < 500


def root_of(ex: Exchange) -> Element | None:
    if "xml_root" not in ex.scratch:
        try:
            ex.scratch["xml_root"] = xmlcodec.parse(ex.body)
        except xmlcodec.XMLDecodeError:
            ex.scratch["xml_root"] = None  # E1 reports a body that does not parse
    root: Element | None = ex.scratch["xml_root"]
    return root


@check("X1", stage=1, applies=is_xml_answer)
def xml_root_is_xml(ex: Exchange, target: Target) -> Iterator[Failure]:
    """An XML answer has the root element <xml> and one child element per field."""
    root = root_of(ex)
    if root is None:
        return
    if root.tag != "xml":
        yield fail(ex, "X1", "xml_root_is_xml", "The XML root is not <xml>", "X1 names the root element",
                   received=f"<{root.tag}>", expected="<xml>", path="/")
    stray = (root.text or "").strip() or next(((c.tail or "").strip() for c in root if (c.tail or "").strip()), "")
    if stray:
        yield fail(ex, "X1", "xml_root_is_xml", "Text directly under the root", "fields must be child elements",
                   received=stray[:80], path="/xml")


def _xsd_errors(ex: Exchange, target: Target) -> list[tuple[str, str, str | None, bool]]:
    """(path, reason, offending text, structural?) for the answer and each property in it."""
    if "xsd_errors" in ex.scratch:
        return ex.scratch["xsd_errors"]  # type: ignore[no-any-return]
    root = root_of(ex)
    out: list[tuple[str, str, str | None, bool]] = []
    if root is not None and root.tag == "xml":
        endpoint = endpoints.by_path(ex.call.path)
        schema = xsd.schema(endpoint.xsd(target.api_version))
        # Attributes are outside the contract (xsi:nil, type hints): a tolerant reader ignores them.
        root = copy.deepcopy(root)
        for el in root.iter():
            el.attrib.clear()
        targets: list[tuple[Element, str]] = [(root, "")]
        for props in root.findall("data/props"):  # one <data> for get_counter, one per link for relations/get
            for child in props:
                prop = copy.deepcopy(child)
                # X5: a property name is free; its content is the endpoint's global property element
                prop.tag = endpoint.property_element
                targets.append((prop, f"/xml/data/props/{child.tag}"))
        for elem, prefix in targets:
            for e in schema.iter_errors(elem):
                cut = len(endpoint.property_element) + 1
                path = (prefix + (e.path or "")[cut:]) if prefix else (e.path or "/xml")
                text = e.elem.text if e.elem is not None else None
                out.append((path, str(e.reason), text, isinstance(e.validator, _STRUCTURAL)))
    ex.scratch["xsd_errors"] = out
    return out


def walk(el: Element, f: Field, path: str, doc: str) -> Iterator[tuple[Element, Field, str]]:
    """Every element the XSD declares under ``el``, with its declaration and path (maps included)."""
    for child in el:
        spec = f.children.get(str(child.tag))
        if spec is None:
            continue  # undocumented (D7)
        here = f"{path}/{child.tag}"
        yield child, spec, here
        if spec.shape == "map":
            items = xsd.model(doc, spec.items) if spec.items else spec
            for value in child:
                yield value, items, f"{here}/{value.tag}"
                yield from walk(value, items, f"{here}/{value.tag}", doc)
        elif spec.kind == "object":
            yield from walk(child, spec, here, doc)


def _declared(root: Element, ex: Exchange) -> Iterator[tuple[Element, Field, str]]:
    """``walk`` from the root, with the XSD of the endpoint the exchange called."""
    doc = endpoints.by_path(ex.call.path).response_xsd
    return walk(root, xsd.model(doc), "/xml", doc)


def _wrapped_arrays(root: Element, ex: Exchange) -> Iterator[str]:
    """Array items wrapped in an extra element (<top><item>...</item></top>) instead of repeated."""
    for el, spec, path in _declared(root, ex):
        if spec.shape == "array" and len(el) and not any(str(g.tag) in spec.children for g in el):
            yield path


@check("X2", stage=1, applies=is_xml_answer)
def xml_arrays_are_repeated_elements(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Arrays are repeated sibling elements; objects are elements with children (XSD structure)."""
    root = root_of(ex)
    if root is None or root.tag != "xml":
        return
    for path in _wrapped_arrays(root, ex):
        yield fail(ex, "X2", "xml_arrays_are_repeated_elements", "Array items are wrapped, not repeated",
                   "X2: an array is repeated sibling elements named after the field", path=path,
                   expected="<top>…</top><top>…</top>")
    seen = set()
    for path, reason, text, structural in _xsd_errors(ex, target):
        if structural and path not in seen:
            seen.add(path)
            yield fail(ex, "X2", "xml_arrays_are_repeated_elements", "XML answer breaks the XSD structure", reason,
                       received=text, path=path)


def _null_literals(root: Element, ex: Exchange) -> Iterator[tuple[str, str]]:
    for el, spec, path in _declared(root, ex):
        text = (el.text or "").strip()
        if spec.shape in ("nullable", "array") and len(el) == 0 and text.lower() in NULL_WORDS:
            yield path, text


@check("X3", stage=1, applies=is_xml_answer)
def xml_null_is_empty_or_absent(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A null is an empty or absent element, never a word such as "null"."""
    root = root_of(ex)
    if root is None or root.tag != "xml":
        return
    for path, text in _null_literals(root, ex):
        yield fail(ex, "X3", "xml_null_is_empty_or_absent", "A null is written as text", "X3: <sum/> or no <sum>",
                   received=text, expected="an empty or absent element", path=path)


@check("X5", stage=1, applies=is_xml_answer)
def xml_property_names_are_elements(ex: Exchange, target: Target) -> Iterator[Failure]:
    """Under <props>, each property is one element named after it (names are keys: no repeats)."""
    root = root_of(ex)
    for props in root.findall("data/props") if root is not None else []:
        yield from _repeated_names(ex, props)


def _repeated_names(ex: Exchange, props: Element) -> Iterator[Failure]:
    names = [str(c.tag) for c in props]
    for name in sorted({n for n in names if names.count(n) > 1}):
        yield fail(ex, "X5", "xml_property_names_are_elements", "A property element name repeats under <props>",
                   "X5: property names are the element names, so each appears once", received=name,
                   path=f"/xml/data/props/{name}", expected="one element per property, named after it")


@check("X6", applies=lambda ex: ex.expect.clause == "X6")
def xml_entities_not_resolved(ex: Exchange, target: Target) -> Iterator[Failure]:
    """A request declaring DTDs or entities is refused or answered unexpanded, without file text."""
    if X6_MARKER in (ex.text or "") or "root:x:0:0" in (ex.text or ""):
        yield fail(ex, "X6", "xml_entities_not_resolved", "The answer contains a local file's text",
                   "an external entity was resolved", received=X6_MARKER)


def x6_time_bound(plain_seconds: float) -> float:
    """How long an entity probe may take: the bound, or ten plain round trips on a slow target."""
    return max(X6_BOUND_SECONDS, 10 * plain_seconds)
