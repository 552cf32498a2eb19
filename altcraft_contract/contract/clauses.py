"""The clause table, as data: every check and report refers to these IDs.

The clauses every endpoint shares (CONTRACT.md's T, E, M, R, X, P, I, V) are listed here; each
endpoint folder adds its own (``endpoints/<name>/__init__.py``), so IDs stay unique across them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from .. import endpoints

Level = Literal["DOC", "DER", "ASM"]


@dataclass(frozen=True)
class Clause:
    id: str
    level: Level
    title: str
    endpoint: str | None = None  # the endpoint (endpoints/) the clause is about; None: every endpoint
    group: str = "every endpoint"  # the heading it is reported under (by endpoint, then family)

    @property
    def family(self) -> str:
        return self.id[0]

    @property
    def waivable(self) -> bool:
        """Only assumptions may be waived; documented behaviour always counts."""
        return self.level == "ASM"


_SHARED_FAMILIES = {
    "T": "Transport",
    "E": "Envelope",
    "M": "Matching",
    "R": "Errors",
    "X": "XML",
    "P": "Parity",
    "I": "Idempotency",
    "V": "API versions",
}

_SHARED: tuple[Clause, ...] = (
    Clause("T1", "DOC", "POST to /api/v1.1/relations/<method>, HTTP/1.1, UTF-8"),
    Clause("T2", "DOC", "request body is JSON or XML, named by Content-Type"),
    Clause("T3", "DOC", "token in the body or as Authorization: Bearer, same result"),
    Clause("T4", "ASM", "format parameter picks the answer format and its Content-Type"),
    Clause("E1", "DOC", "every body is an envelope with integer error and string error_text"),
    Clause("E2.text", "ASM", 'success error_text is "Successful operation"'),
    Clause("E3", "ASM", "failure: non-zero error, non-empty error_text, no data"),
    Clause("E4", "ASM", "HTTP status 200, or the error code when mirrored; never 5xx"),
    Clause("M1", "DOC", "matching is one of five modes; omitted means email"),
    Clause("M2", "DOC", "each mode finds the profile by the identifier it needs"),
    Clause("M3", "DOC", "resource_id narrows email and phone matching to one resource"),
    Clause("M4", "ASM", "every mode that finds the same profile returns the same data"),
    Clause("M5", "ASM", "the documented request example (profile_id, no matching) succeeds"),
    Clause("M6", "ASM", "email_profile matches the profile's own email only"),
    Clause("R1", "DOC", "documented codes keep their meaning"),
    Clause("R2", "ASM", "no token gives 401"),
    Clause("R3", "ASM", "an invalid token gives 401 or 403"),
    Clause("R4", "ASM", "an incorrect request gives 400"),
    Clause("R5", "ASM", "a request that finds nothing gives a non-zero code other than 401-403"),
    Clause("R6", "ASM", "no request makes the server fail"),
    Clause("X1", "DOC", "XML root <xml>, one child per field"),
    Clause("X2", "DOC", "arrays are repeated elements; empty array or object is an empty element"),
    Clause("X3", "ASM", "a null is an empty or absent element"),
    Clause("X4", "ASM", "sibling order carries no meaning"),
    Clause("X5", "ASM", "property names are element names under <props>"),
    Clause("X6", "ASM", "no DTD or external entity is resolved"),
    Clause("P1", "ASM", "JSON and XML give the same error, error_text and data"),
    Clause("I1", "ASM", "the same request twice gives the same answer"),
    Clause("V72", "DOC", "the v72 contract (no totals required)"),
    Clause("V74", "DOC", "the v74 contract (totals required)"),
)



def _of(package: endpoints.Package) -> list[Clause]:
    own = [Clause(i, cast(Level, level), title, package.owner, package.group) for i, level, title in package.clauses]
    return own + [Clause(i, cast(Level, level), title, None, package.between_group) for i, level, title in package.between]


# The shared clauses first, then each endpoint's in registration order (V stays last).
CLAUSES: tuple[Clause, ...] = (*[c for c in _SHARED if c.family != "V"],
                               *[c for p in endpoints.PACKAGES for c in _of(p)],
                               *[c for c in _SHARED if c.family == "V"])
FAMILIES: dict[str, str] = {**{k: v for k, v in _SHARED_FAMILIES.items() if k != "V"},
                            **{k: v for p in endpoints.PACKAGES for k, v in p.families.items()},
                            "V": _SHARED_FAMILIES["V"]}
if len({c.id for c in CLAUSES}) != len(CLAUSES):
    raise ValueError("a clause id is defined twice (ids are unique across endpoints)")

BY_ID: dict[str, Clause] = {c.id: c for c in CLAUSES}


def get(clause_id: str) -> Clause:
    """The clause with this ID; an unknown ID is a programming error."""
    return BY_ID[clause_id]
