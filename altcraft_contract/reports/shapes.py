"""The shape of an answer as a baseline measures it: every field path and the JSON types seen there
(property names are data, so they fold to ``*``). Shared by the read probes and the writes' probes."""

from __future__ import annotations

from typing import Any


def _type(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "integer"
    if isinstance(v, float):
        return "number"
    if isinstance(v, str):
        return "string"
    return "array" if isinstance(v, list) else "object"


def shape(value: Any, path: str = "$", out: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """Field paths and the JSON types seen at each; property names are data, so they fold to ``*``."""
    out = {} if out is None else out
    out.setdefault(path, set()).add(_type(value))
    if isinstance(value, dict):
        for k, v in value.items():
            shape(v, f"{path}.*" if path.endswith(".props") else f"{path}.{k}", out)
    elif isinstance(value, list):
        for item in value:
            shape(item, f"{path}[]", out)
    return out
