"""The JSON Schemas in ``schemas/``: loading, validation, and the facts other layers read from them.

The schemas are the single source of truth: matching modes, identifier fields, id patterns and
the clause each keyword enforces (``x-clause``) are read from here, never retyped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource


def _schema_dir() -> Path:
    """The checkout's schemas/ (next to this package in an editable install, the one the README
    uses); from a copy installed elsewhere (``pip install .``, a tox env), the current directory's."""
    beside = Path(__file__).resolve().parents[2] / "schemas"
    for candidate in (beside, Path.cwd() / "schemas"):
        if (candidate / "openapi.json").is_file():
            return candidate
    return beside


SCHEMA_DIR = _schema_dir()
API_VERSIONS = ("v72", "v74")


def _load(name: str) -> dict[str, Any]:
    with (SCHEMA_DIR / name).open(encoding="utf-8") as fh:
        loaded: dict[str, Any] = json.load(fh)
    return loaded


@cache
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every ``*.schema.json`` file, keyed by its file name."""
    return {p.name: _load(p.name) for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@cache
def _registry() -> Registry:
    # Schemas refer to each other by file name, as the OpenAPI document and its tools do.
    return Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in all_schemas().items())


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for ``schemas/<name>.schema.json`` with every sibling schema resolvable."""
    schema = {"$id": f"{name}.schema.json", **all_schemas()[f"{name}.schema.json"]}
    return Draft202012Validator(schema, registry=_registry())


@dataclass(frozen=True)
class Violation:
    """One schema violation, mapped to the clause named by the nearest ``x-clause``."""

    clause: str
    path: str
    message: str
    value: Any


def _clause_of(error: ValidationError, default: str) -> str:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    if error.validator == "required":
        # A missing field belongs to the clause of the field, not of its parent object.
        missing = re.findall(r"'([^']+)' is a required property", error.message)
        props = schema.get("properties", {})
        if missing and missing[0] in props:
            return str(props[missing[0]].get("x-clause", default))
        # v74 adds "total" through allOf: the parent carries the clause.
    return str(schema.get("x-clause", default))


def json_path(parts: Any) -> str:
    """Render a jsonschema path deque as ``$.data.props.Donate.top[0]``."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _inline(node: Any, root: dict[str, Any]) -> Any:
    """A copy of ``node`` with every $ref replaced by what it names (our schemas have no cycles)."""
    if isinstance(node, list):
        return [_inline(n, root) for n in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        doc, _, pointer = ref.partition("#")
        target = all_schemas()[doc] if doc else root
        for part in filter(None, pointer.split("/")):
            target = target[part]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        inlined = _inline(target, all_schemas()[doc] if doc else root)
        return {"allOf": [inlined, _inline(rest, root)]} if rest else inlined
    return {k: _inline(v, root) for k, v in node.items() if k != "$defs"}


@cache
def _fast(name: str) -> Any:
    """A compiled Rust validator of the bundled schema: the fast yes/no on the hot path."""
    import jsonschema_rs

    schema = all_schemas()[f"{name}.schema.json"]
    return jsonschema_rs.Draft202012Validator(_inline(schema, schema))


def violations(name: str, instance: Any, default_clause: str) -> Iterator[Violation]:
    """Every violation of schema ``name`` by ``instance``, deepest first, each with its clause."""
    try:
        if _fast(name).is_valid(instance):
            return  # most answers are valid: only a violation needs the slower, explaining validator
    except (ValueError, TypeError, OverflowError):
        pass  # a value the Rust validator cannot take: the Python one decides
    errors = sorted(validator(name).iter_errors(instance), key=lambda e: -len(e.path))
    for err in errors:
        yield Violation(_clause_of(err, default_clause), json_path(err.absolute_path), err.message, err.instance)


def request_schema() -> dict[str, Any]:
    return all_schemas()["request.schema.json"]


@cache
def matching_modes() -> tuple[str, ...]:
    """The five matching modes, in schema order (M1)."""
    return tuple(request_schema()["properties"]["matching"]["enum"])


def default_matching() -> str:
    return str(request_schema()["properties"]["matching"]["default"])


@cache
def identifiers_by_mode() -> dict[str, tuple[str, ...]]:
    """The identifier fields each matching mode needs (M2)."""
    return {mode: tuple(fields) for mode, fields in request_schema()["x-identifiers"].items()}


@cache
def profile_id_pattern() -> re.Pattern[str]:
    return re.compile(all_schemas()["data-v72.schema.json"]["properties"]["profile_id"]["pattern"])


@cache
def xxh_pattern() -> re.Pattern[str]:
    return re.compile(all_schemas()["data-v72.schema.json"]["properties"]["profile_xxh"]["pattern"])


@cache
def documented_fields(api_version: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Field names the contract documents: data level, property level, top-item level (D7)."""
    data = all_schemas()[f"data-{api_version}.schema.json"]["properties"]
    prop72 = all_schemas()["property-v72.schema.json"]
    prop = set(prop72["properties"])
    if api_version == "v74":
        prop |= set(all_schemas()["property-v74.schema.json"]["properties"])
    item = prop72["$defs"]["top_item"]["properties"]
    return frozenset(data), frozenset(prop), frozenset(item)
