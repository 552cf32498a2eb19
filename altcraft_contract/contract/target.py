"""Target files (TOML): where the server is, which contract version, what data it holds, waivers."""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from ..errors import TargetFileInvalid, TargetFileMissing, TokenMissing
from . import clauses, schemas

StatusMode = Literal["200", "mirror", "any"]

_TARGET_KEYS = {
    "base_url": str, "token_env": str, "api_version": str, "error_http_status": (str, int),
    "max_rps": (int, float), "timeout": (int, float), "request_budget": int, "max_answer_bytes": int,
}
_DATA_KEYS = {"rel_id": int, "unknown_rel_id": int, "unknown_resource_id": int, "profiles": list}
_PROFILE_KEYS = {
    "profile_id": str, "email": str, "phone": str, "resource_id": int,
    "field_name": str, "field_value": (int, str), "subscription_email": str, "resource_identifiers": list,
}
_WRITES_KEYS = {"rel_id": int, "profile_a": str, "profiles_b": list, "properties": list}
_TABLES = ("target", "data", "waivers", "writes", "endpoints")
RESOURCE_IDENTIFIERS = ("email", "phone", "subscription_email")


@dataclass(frozen=True)
class WriteScope:
    """The ``[writes]`` table: the only relation, profiles and properties the suite may write (S3)."""

    rel_id: int
    profile_a: str
    profiles_b: tuple[str, ...]
    properties: tuple[str, ...]


@dataclass(frozen=True)
class Profile:
    """A Database A profile the target holds, with the identifiers the suite may match it by."""

    profile_id: str
    email: str | None = None
    phone: str | None = None
    resource_id: int | None = None
    field_name: str | None = None
    field_value: int | str | None = None
    subscription_email: str | None = None
    # Which of email and phone the subscription in resource_id carries; None: the file does not say,
    # so only "one of them finds the profile" can be expected (M3).
    resource_identifiers: tuple[str, ...] | None = None

    def identifiers(self, mode: str) -> dict[str, Any] | None:
        """The request fields that find this profile in ``mode``, or None if it lacks them."""
        values = {
            "email": self.email, "phone": self.phone, "profile_id": self.profile_id,
            "field_name": self.field_name, "field_value": self.field_value,
        }
        needed = schemas.identifiers_by_mode()[mode]
        if any(values[f] is None for f in needed):
            return None
        return {f: values[f] for f in needed}

    def modes(self) -> tuple[str, ...]:
        return tuple(m for m in schemas.matching_modes() if self.identifiers(m) is not None)


@dataclass(frozen=True)
class Target:
    base_url: str
    token_env: str
    rel_id: int
    profiles: tuple[Profile, ...]
    api_version: str = "v74"
    error_http_status: StatusMode = "any"
    unknown_rel_id: int | None = None
    unknown_resource_id: int | None = None
    waivers: Mapping[str, str] = field(default_factory=dict)
    max_rps: float | None = None
    timeout: float = 10.0
    request_budget: int | None = None
    max_answer_bytes: int | None = None  # the longest answer the suite reads (default: gate's)
    source: str = "embedded"
    ignored_keys: tuple[str, ...] = ()  # keys the suite does not know and that are no typo of its own
    writes: WriteScope | None = None  # [writes]: what the suite may write, with --writes
    paths: Mapping[str, str] = field(default_factory=dict)  # [endpoints]: paths the docs do not give
    allow_writes: bool = False  # --writes on the command line (both it and [writes] are needed)

    def with_overrides(self, base_url: str | None, api_version: str | None) -> Target:
        out = self
        if base_url:
            out = replace(out, base_url=base_url.rstrip("/"))
        if api_version:
            _check_choice("--api-version", api_version, schemas.API_VERSIONS, str(self.source))
            out = replace(out, api_version=api_version)
        return out

    def profiles_with(self, *attrs: str) -> tuple[Profile, ...]:
        return tuple(p for p in self.profiles if all(getattr(p, a) is not None for a in attrs))


def _check_choice(key: str, value: str, allowed: tuple[str, ...], where: str) -> None:
    if value not in allowed:
        raise TargetFileInvalid(f"{where}: {key} = {value!r} is not one of {', '.join(allowed)}",
                                f"set {key} to one of them")


def _check_table(table: Mapping[str, Any], known: dict[str, Any], name: str, where: str,
                 ignored: list[str] | None = None) -> None:
    for key, value in table.items():
        if key not in known:
            close = difflib.get_close_matches(key, list(known), n=1)
            if close or ignored is None:
                hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(known)}"
                raise TargetFileInvalid(f"{where}: unknown key {key!r} in [{name}]", hint)
            ignored.append(f"[{name}] {key}")  # not a typo of ours: another tool's key, kept and listed
            continue
        if not isinstance(value, known[key]) or isinstance(value, bool):
            raise TargetFileInvalid(f"{where}: [{name}] {key} has the wrong type ({type(value).__name__})",
                                    "see targets/example.toml for each key's type")


def _require(table: Mapping[str, Any], key: str, name: str, where: str) -> Any:
    if key not in table:
        raise TargetFileInvalid(f"{where}: [{name}] lacks the required key {key!r}",
                                "add it (see targets/example.toml)")
    return table[key]


def parse_target(doc: Mapping[str, Any], where: str) -> Target:
    """Build a Target from a parsed TOML document; every problem is a one-line TargetFileInvalid."""
    ignored: list[str] = []
    for section in doc:
        if section not in _TABLES:
            if difflib.get_close_matches(section, list(_TABLES), n=1):
                raise TargetFileInvalid(f"{where}: unknown table [{section}]",
                                        "use [target], [data], [waivers], [writes] and [endpoints]")
            ignored.append(f"[{section}]")
    tgt = doc.get("target", {})
    data = doc.get("data", {})
    _check_table(tgt, _TARGET_KEYS, "target", where, ignored)
    _check_table(data, _DATA_KEYS, "data", where, ignored)
    for key in ("max_rps", "timeout", "request_budget", "max_answer_bytes"):
        if key in tgt and tgt[key] <= 0:
            raise TargetFileInvalid(f"{where}: [target] {key} = {tgt[key]!r} is not positive",
                                    f"give {key} a number above 0, or leave it out")
    base_url = str(_require(tgt, "base_url", "target", where)).rstrip("/")
    if not base_url.startswith(("http://", "https://")):
        raise TargetFileInvalid(f"{where}: base_url {base_url!r} is not an http(s) URL",
                                "write it as https://host[:port]")
    api_version = str(tgt.get("api_version", "v74"))
    _check_choice("api_version", api_version, schemas.API_VERSIONS, where)
    status = str(tgt.get("error_http_status", "any"))  # 200 unquoted reads as "200"
    _check_choice("error_http_status", status, ("200", "mirror", "any"), where)
    profiles = []
    for i, raw in enumerate(data.get("profiles", [])):
        _check_table(raw, _PROFILE_KEYS, f"data.profiles #{i + 1}", where, ignored)
        pid = _require(raw, "profile_id", f"data.profiles #{i + 1}", where)
        if not schemas.profile_id_pattern().fullmatch(pid):
            raise TargetFileInvalid(f"{where}: profile_id {pid!r} is not 24 lowercase hex digits",
                                    "copy the id exactly as the platform shows it")
        kept = {k: v for k, v in raw.items() if k in _PROFILE_KEYS}
        if "resource_identifiers" in kept:
            named = kept["resource_identifiers"]
            if not named or any(n not in RESOURCE_IDENTIFIERS for n in named) or len(set(named)) != len(named):
                raise TargetFileInvalid(f"{where}: data.profiles #{i + 1}: resource_identifiers = {named!r}",
                                        'list what the resource\'s subscription carries, once each, from '
                                        '"email", "phone" and "subscription_email"')
            if "subscription_email" in named and "subscription_email" not in kept:
                raise TargetFileInvalid(f"{where}: data.profiles #{i + 1}: resource_identifiers names "
                                        "subscription_email, but the profile has none",
                                        "add subscription_email to the profile, or drop it from the list")
            kept["resource_identifiers"] = tuple(named)
        profiles.append(Profile(**kept))
    if not profiles:
        raise TargetFileInvalid(f"{where}: [data] names no profiles",
                                "add at least one [[data.profiles]] table with a profile_id")
    waivers = dict(doc.get("waivers", {}))
    for clause_id, reason in waivers.items():
        if clause_id not in clauses.BY_ID:
            raise TargetFileInvalid(f"{where}: waiver names unknown clause {clause_id!r}",
                                    "use a clause ID from CONTRACT.md")
        if not clauses.get(clause_id).waivable:
            raise TargetFileInvalid(
                f"{where}: clause {clause_id} is {clauses.get(clause_id).level} and cannot be waived",
                "only ASM clauses may be waived; fix the target or report the deviation")
        if not isinstance(reason, str) or not reason.strip():
            raise TargetFileInvalid(f"{where}: waiver of {clause_id} gives no reason", "write why it is waived")
    return Target(
        base_url=base_url,
        token_env=str(_require(tgt, "token_env", "target", where)),
        rel_id=int(_require(data, "rel_id", "data", where)),
        profiles=tuple(profiles),
        api_version=api_version,
        error_http_status=status,  # type: ignore[arg-type]
        unknown_rel_id=data.get("unknown_rel_id"),
        unknown_resource_id=data.get("unknown_resource_id"),
        waivers=waivers,
        max_rps=float(tgt["max_rps"]) if "max_rps" in tgt else None,
        timeout=float(tgt.get("timeout", 10.0)),
        request_budget=tgt.get("request_budget"),
        max_answer_bytes=tgt.get("max_answer_bytes"),
        source=where,
        ignored_keys=tuple(ignored),
        writes=_writes(doc, where, {p.profile_id for p in profiles}),
        paths=_paths(doc, where),
    )


def _writes(doc: Mapping[str, Any], where: str, data_profiles: set[str]) -> WriteScope | None:
    table = doc.get("writes")
    if table is None:
        return None
    _check_table(table, _WRITES_KEYS, "writes", where)
    for key in _WRITES_KEYS:
        _require(table, key, "writes", where)
    ids = [table["profile_a"], *table["profiles_b"]]
    bad = [i for i in ids if not isinstance(i, str) or not schemas.profile_id_pattern().fullmatch(i)]
    if bad:
        raise TargetFileInvalid(f"{where}: [writes] names {bad[0]!r}, which is not 24 lowercase hex digits",
                                "copy the profile ids exactly as the platform shows them")
    props = table["properties"]
    if not table["profiles_b"] or not props or not all(isinstance(n, str) and n for n in props):
        raise TargetFileInvalid(f"{where}: [writes] needs at least one of profiles_b and one property name",
                                'e.g. profiles_b = ["..."] and properties = ["Donate"]')
    if table["profile_a"] in table["profiles_b"]:
        raise TargetFileInvalid(f"{where}: [writes] profile_a {table['profile_a']} is also in profiles_b",
                                "profiles_b names Database B profiles: the initiators of links to profile_a")
    if table["profile_a"] in data_profiles:
        # The read scenarios run beside the writes: they would see them and fail a correct server.
        raise TargetFileInvalid(f"{where}: [writes] profile_a {table['profile_a']} is also a [[data.profiles]] profile",
                                "name an A profile kept for writing, one the read scenarios do not read")
    return WriteScope(table["rel_id"], table["profile_a"], tuple(dict.fromkeys(table["profiles_b"])),
                      tuple(dict.fromkeys(props)))


def _paths(doc: Mapping[str, Any], where: str) -> dict[str, str]:
    table = doc.get("endpoints", {})
    known = ("attach",)  # the only write path the vendor's pages leave out
    for name, path in table.items():
        if name not in known:
            raise TargetFileInvalid(f"{where}: [endpoints] names {name!r}", f"only {', '.join(known)} may be named")
        if not isinstance(path, str) or not path.startswith("/") or any(c.isspace() for c in path):
            raise TargetFileInvalid(f"{where}: [endpoints] {name} = {path!r} is not a path",
                                    'write it as "/api/v1.1/relations/<method>"')
    return dict(table)


def load_target(path: str | Path) -> Target:
    """Read a target file; a missing or malformed file raises a one-line SuiteInputError."""
    p = Path(path)
    if not p.is_file():
        raise TargetFileMissing(f"target file {str(p)!r} does not exist",
                                "pass --target with the path of a TOML target file (see targets/example.toml)")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TargetFileInvalid(f"target file {str(p)!r} is not valid TOML ({exc})",
                                "fix the syntax at the position named") from None
    return parse_target(doc, str(p))


def resolve_token(target: Target, environ: Mapping[str, str] | None = None) -> str:
    """The token from the environment variable the target names; never from the file itself."""
    env = os.environ if environ is None else environ
    token = env.get(target.token_env, "")
    if not token.strip():
        raise TokenMissing(f"the token variable {target.token_env} is not set",
                           f"export {target.token_env}=<your API token> before running the suite")
    return token


def base_fields(target: Target) -> dict[str, Any]:
    """The simplest valid request: the first profile by profile_id."""
    return {"rel_id": target.rel_id, "matching": "profile_id", "profile_id": target.profiles[0].profile_id}
