"""What an endpoint folder declares: its endpoints (path, schemas, XSD) and its clauses.

Kept free of imports from the rest of the suite, so that ``clauses.py`` and every layer above can
read the registry without an import cycle.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BASE = "/api/v1.1/relations/"
# Paths a target file gives for endpoints the vendor does not publish ([endpoints] attach = ...);
# set by each run (run/build.py), read by ``Endpoint.path``.
OVERRIDES: dict[str, str] = {}


def use_paths(paths: dict[str, str]) -> None:
    OVERRIDES.clear()
    OVERRIDES.update(paths)


@dataclass(frozen=True)
class Endpoint:
    name: str  # the method name after /relations/, and the --endpoint value
    title: str
    request_schema: str  # schemas/<name>.schema.json for the request body
    success_schema: str  # schemas/<name>.schema.json for a success; "{version}" is the API version
    response_xsd: str  # schemas/<name>.xsd that types the XML answer for the decoder
    validation_xsd: str  # schemas/<name>.xsd an XML answer is validated against; "{version}" as above
    property_element: str  # the XSD's global element that each element under <props> is checked as ("": none)
    kind: Literal["read", "write"] = "read"  # the shared read scenarios run against every read endpoint

    @property
    def path(self) -> str:
        return OVERRIDES.get(self.name, BASE + self.name)

    def success(self, api_version: str) -> str:
        return self.success_schema.format(version=api_version)

    def xsd(self, api_version: str) -> str:
        return self.validation_xsd.format(version=api_version)



ClauseRow = tuple[str, str, str]  # (id, level DOC/DER/ASM, title), as in CONTRACT.md's tables


@dataclass(frozen=True)
class Package:
    """One endpoint folder (``endpoints/<name>/``): what it adds to the contract.

    Its modules are found by name: ``checks.py`` (``@check`` functions, imported by the check
    registry), ``scenarios.py`` (``@scenario`` functions, imported by the scenario registry) and
    ``faults.py`` (the reference endpoint's faults for its clauses, imported by the catalogue);
    each is optional."""

    name: str  # the folder's name
    endpoints: tuple[Endpoint, ...]
    clauses: tuple[ClauseRow, ...]  # owned by ``owner`` (None: they compare several endpoints)
    families: dict[str, str] = field(default_factory=dict)  # family letter -> title, for its clauses
    owner: str | None = None  # the endpoint (or group of endpoints) its clauses are about
    group: str = ""  # the heading its clauses are reported under (by endpoint, then family)
    between: tuple[ClauseRow, ...] = ()  # clauses relating its endpoint to another (owner None)
    between_group: str = ""
