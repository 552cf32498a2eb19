"""The input model: for every request field, the classes of values its schema type admits and
refuses, and the verdict the contract computes for each (never written per row).

Fields and their types come from ``schemas/request.schema.json``; XML texts are typed by the
request XSD (``xsd.py``). A verdict is computed in this order:

1. the request with the value breaks the request schema's R4 rules -> R4, 400 (a wrong type, a
   null, an empty identifier, a ``matching`` that is not one of the five);
2. the value is, with its JSON type, the identifier the target file names -> success;
3. the value is well-typed but names nothing the target file names: a positive integer id names
   some other relation or resource or nothing (the profile or R5); 0 and a negative id cannot name
   one (R5's last paragraph, M3), so they never find the profile (R4 or R5: an error other than
   401-403); a ``profile_id`` that holds no 24 hex digits names nothing (D1: R5);
4. anything else -> R6: any envelope, never a 5xx. The contract leaves free what a server does
   with a whitespace-padded, 100,000-character or Cyrillic email, so the model asserts nothing more.

Decisions the contract leaves open, made here once:
- ``3.0`` where an integer belongs: JSON Schema 2020-12 calls it an integer, many parsers call it
  a float; R4 does not settle it. Either way the answer is R4's 400 or what a correct request gets
  (the profile, or nothing found): never a 401-403, never another profile. The same in XML, where
  the XSD's ``xs:integer`` refuses the text ``3.0``.
- In XML, whitespace-only or whitespace-padded text, and control characters (XML 1.0 cannot carry
  them), are free: whether such an element is empty, trimmed or not well-formed is the parser's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from . import schemas, xsd
from .calls import AUTH_CODES, Expect
from .target import Profile, Target
from .xsd import scalar

Make = Callable[[Any], Any]  # the class's value, from the identifier the target names (``real``)


@dataclass(frozen=True)
class ValueClass:
    """One class of values: its name, how to make its value, and what the model knows of it."""

    name: str
    make: Make
    either: bool = False  # R4 may or may not call it incorrect: 400, or what its value finds
    xml: bool = True  # XML can carry it as element text (strings, numbers, booleans, null)
    xml_free: bool = False  # in XML only, left open (whitespace, control characters)


def _c(name: str, make: Make, **kw: Any) -> ValueClass:
    return ValueClass(name, make, **kw)


INTEGER_CLASSES: tuple[ValueClass, ...] = (
    _c("typical", lambda real: real),
    _c("0", lambda real: 0),
    _c("-1", lambda real: -1),
    _c("2^31-1", lambda real: 2**31 - 1),
    _c("2^31", lambda real: 2**31),
    _c("2^53+1", lambda real: 2**53 + 1, xml=False),  # a JSON double's edge; XML text has no doubles
    _c("2^63", lambda real: 2**63),
    _c("1 and 400 zeros", lambda real: 10**400),
    _c("float with a fraction", lambda real: real + 0.5),
    _c("float with a zero fraction", float, either=True),
    _c("digit string", str, xml=False),  # in XML the same text as "typical"
    _c("true", lambda real: True),
    _c("false", lambda real: False, xml=False),  # in XML a word like "true", sent there
    _c("null", lambda real: None),
    _c("list", lambda real: [real], xml=False),
    _c("object", lambda real: {"value": real}, xml=False),
)

STRING_CLASSES: tuple[ValueClass, ...] = (
    _c("typical", lambda real: real),
    _c("empty", lambda real: ""),
    _c("whitespace only", lambda real: "   ", xml_free=True),
    _c("one character", lambda real: "z"),
    _c("1,000 characters", lambda real: "z" * 1_000),
    _c("10,000 characters", lambda real: "z" * 10_000),
    _c("100,000 characters", lambda real: "z" * 100_000),
    _c("Cyrillic", lambda real: "почта-ёж"),
    _c("emoji", lambda real: "\U0001f600\U0001f680"),
    _c("right-to-left", lambda real: "\u0645\u0631\u062d\u0628\u0627"),
    _c("combining marks", lambda real: "e\u0301o\u0308"),
    _c("NUL", lambda real: "a\x00b", xml_free=True),
    _c("control characters", lambda real: "a\x01\x08\x1b\x7fb", xml_free=True),
    _c("leading and trailing spaces", lambda real: f" {real} ", xml_free=True),
    _c("a number", lambda real: 5, xml=False),
    _c("a boolean", lambda real: True, xml=False),
    _c("null", lambda real: None, xml=False),  # in XML the same empty element as "empty"
    _c("list", lambda real: [real], xml=False),
    _c("object", lambda real: {"value": real}, xml=False),
)
ENUM_CLASSES: tuple[ValueClass, ...] = (_c("other letter case", lambda real: str(real).upper()),)

# Not values of a field: the token travels outside the fields, and format is T4's (left open beyond
# json and xml).
_NOT_MODELLED = ("token", "format")


def _types(prop: dict[str, Any]) -> set[str]:
    t = prop.get("type", "string" if "enum" in prop else None)
    return set(t) if isinstance(t, list) else {str(t)}


@cache
def fields() -> tuple[str, ...]:
    """The request fields the model covers, in schema order."""
    return tuple(k for k in schemas.request_schema()["properties"] if k not in _NOT_MODELLED)


@cache
def classes_of(name: str) -> tuple[ValueClass, ...]:
    """The classes that apply to field ``name``, read from its schema type."""
    prop = schemas.request_schema()["properties"][name]
    if _types(prop) == {"integer"}:
        return INTEGER_CLASSES
    return STRING_CLASSES + (ENUM_CLASSES if "enum" in prop else ())


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: verdicts are cached per context
class Context:
    """Where a field's value is sent: the rest of a request that uses it, and what it should find."""

    field: str
    base: dict[str, Any]  # the request without the field
    real: Any  # the value the target file names for the field
    profile: Profile | None  # the profile the real value finds

    def request(self, value: Any, **more: Any) -> dict[str, Any]:
        """The request with ``value`` in the field, in the schema's field order (X4 is about others)."""
        merged = {**self.base, **more, self.field: value}
        return {k: merged[k] for k in sorted(merged, key=fields().index)}


def _first(target: Target, *attrs: str) -> Profile | None:
    found = target.profiles_with(*attrs)
    return found[0] if found else None


_CONTEXTS: dict[int, tuple[Target, dict[str, Context | str]]] = {}


def context(target: Target, name: str) -> Context | str:
    """The context for field ``name`` on ``target``, or why the target file gives none (made once
    per target, so that verdicts can be cached per context)."""
    known = _CONTEXTS.get(id(target))
    if known is None or known[0] is not target:  # a new target (or a reused id)
        known = _CONTEXTS[id(target)] = (target, {})
    if name not in known[1]:
        known[1][name] = _context(target, name)
    return known[1][name]


def _context(target: Target, name: str) -> Context | str:
    rel = {"rel_id": target.rel_id}
    p0 = target.profiles[0]
    by_id = {"matching": "profile_id", "profile_id": p0.profile_id}
    if name == "rel_id":
        return Context(name, by_id, target.rel_id, p0)
    if name == "matching":
        # Identifiers stay: a server that falls back to some mode would find the profile.
        extra = {"email": p0.email} if p0.email else {}
        return Context(name, {**rel, "profile_id": p0.profile_id, **extra}, "profile_id", p0)
    if name == "profile_id":
        return Context(name, {**rel, "matching": "profile_id"}, p0.profile_id, p0)
    if name in ("email", "phone"):
        p = _first(target, name)
        if p is None:
            return f"the target file names no profile with {'an email' if name == 'email' else 'a phone'}"
        return Context(name, {**rel, "matching": name}, getattr(p, name), p)
    if name in ("field_name", "field_value"):
        p = _first(target, "field_name", "field_value")
        if p is None:
            return "the target file names no profile with field_name and field_value"
        other = "field_value" if name == "field_name" else "field_name"
        return Context(name, {**rel, "matching": "custom", other: getattr(p, other)}, getattr(p, name), p)
    if name == "resource_id":
        # M3: resource_id narrows email and phone matching; the profile's resource holds it.
        for mode in ("email", "phone"):
            p = _first(target, mode, "resource_id")
            if p is not None:
                return Context(name, {**rel, "matching": mode, mode: getattr(p, mode)}, p.resource_id, p)
        return "the target file names no profile with resource_id and an email or a phone"
    return f"the model has no context for {name}"


_HEX24 = re.compile("[0-9a-fA-F]{24}")
_IDS = ("rel_id", "resource_id")  # integer ids: another value may name another thing, or nothing


def _same(a: Any, b: Any) -> bool:
    """Equal with the same JSON type (``3.0`` is not ``3``, ``True`` is not ``1``)."""
    return type(a) is type(b) and bool(a == b)


def xml_text(value: Any) -> str:
    """The element text that carries ``value`` in an XML request (X1, X3: null is an empty element)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def xml_decoded(name: str, value: Any) -> Any:
    """What ``value``, written as XML text, is once typed by the request XSD (as P1 decodes XML)."""
    text = xml_text(value)
    if not text.strip():
        return None
    return scalar(text, xsd.model("request").children[name])


@lru_cache(maxsize=4096)
def verdict(ctx: Context, cls: ValueClass, fmt: str = "json") -> Expect:
    """What a correct target answers to ``cls`` in ``ctx``'s field, computed from the contract."""
    name, value = ctx.field, cls.make(ctx.real)
    what = f"{name} {cls.name}" + (" (XML)" if fmt == "xml" else "")
    pid = ctx.profile.profile_id if ctx.profile else None
    if cls.either and pid:  # R4 or a correct request: 400, the profile, or nothing, never 401-403
        return Expect.found_or_none("R4", pid, f"{what}: refused (R4) or read as the integer it equals")
    if fmt == "xml" and cls.xml_free:
        return Expect.anything("R6", f"{what}: left open by the contract")
    if fmt == "xml":
        value = xml_decoded(name, value)
    if any(True for _ in schemas.violations("request", ctx.request(value), "R4")):
        return Expect.error("R4", {400}, reason=f"incorrect request: {what}")
    if pid and _same(value, ctx.real):
        named = ctx.profile.resource_identifiers if ctx.profile else None
        if name == "resource_id" and ctx.base.get("matching") not in (named or ()):
            return Expect.found_or_none("M3", pid, f"resource {value} holds a subscription of the profile")
        return Expect.success("M3" if name == "resource_id" else "M2", pid)
    if pid and name in _IDS and isinstance(value, int) and not isinstance(value, bool) and value <= 0:
        return Expect.error("R5" if name == "rel_id" else "M3", None, forbidden=set(AUTH_CODES),
                            reason=f"{what}: an id that cannot exist names no {name[:-3]} (R5), so nothing is found")
    if pid and name in _IDS and isinstance(value, int) and not isinstance(value, bool):
        return Expect.found_or_none("R5" if name == "rel_id" else "M3", pid,
                                    f"{what} names another {name[:-3]} or nothing")
    if name == "profile_id" and isinstance(value, str) and not _HEX24.search(value):
        return Expect.error("R5", None, forbidden={401, 402, 403},
                            reason=f"{what}: no profile has it, ids are 24 hex digits (D1)")
    return Expect.anything("R6", f"{what}: names nothing the target file names; the answer is left open")


def describe(expect: Expect) -> str:
    """A verdict in a few words, for the coverage table."""
    if expect.outcome == "success":
        return f"{expect.clause}: success"
    others = "401-403" if expect.forbidden == AUTH_CODES else "/".join(str(c) for c in sorted(expect.forbidden))
    if expect.outcome == "found_or_none":
        codes = "/".join(str(c) for c in sorted(expect.codes)) if expect.codes else f"an error other than {others}"
        return f"{expect.clause}: the profile, or {codes}"
    if expect.outcome == "not_profile":
        return f"{expect.clause}: not this profile (an error other than {others}, or another profile)"
    if expect.outcome == "any":
        return "R6: any envelope, no 5xx"
    codes = "/".join(str(c) for c in sorted(expect.codes)) if expect.codes else f"non-zero, not {others or '0'}"
    return f"{expect.clause}: {codes}"
