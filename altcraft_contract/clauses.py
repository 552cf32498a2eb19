"""The clause table of ../shared/CONTRACT.md, as data: every check and report refers to these IDs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["DOC", "DER", "ASM"]


@dataclass(frozen=True)
class Clause:
    id: str
    level: Level
    title: str
    endpoint: str | None = None  # the endpoint (endpoints.py) the clause is about; None: every endpoint

    @property
    def family(self) -> str:
        return self.id[0]

    @property
    def waivable(self) -> bool:
        """Only assumptions may be waived; documented behaviour always counts."""
        return self.level == "ASM"


FAMILIES = {
    "T": "Transport",
    "E": "Envelope",
    "D": "Data on success",
    "M": "Matching",
    "R": "Errors",
    "X": "XML",
    "P": "Parity",
    "I": "Idempotency",
    "V": "API versions",
    "G": "Links listed (relations/get)",
    "C": "Consistency of the two reads",
}

CLAUSES: tuple[Clause, ...] = (
    Clause("T1", "DOC", "POST to /api/v1.1/relations/<method>, HTTP/1.1, UTF-8"),
    Clause("T2", "DOC", "request body is JSON or XML, named by Content-Type"),
    Clause("T3", "DOC", "token in the body or as Authorization: Bearer, same result"),
    Clause("T4", "ASM", "format parameter picks the answer format and its Content-Type"),
    Clause("E1", "DOC", "every body is an envelope with integer error and string error_text"),
    Clause("E2", "DOC", "success: error 0 and data an object", "get_counter"),
    Clause("E2.text", "ASM", 'success error_text is "Successful operation"'),
    Clause("E3", "ASM", "failure: non-zero error, non-empty error_text, no data"),
    Clause("E4", "ASM", "HTTP status 200, or the error code when mirrored; never 5xx"),
    Clause("D1", "DOC", "data.profile_id is 24 lowercase hex", "get_counter"),
    Clause("D2", "DOC", "data.profile_xxh is xxHash64 of profile_id", "get_counter"),
    Clause("D3", "DOC", "data.props is an object of property objects", "get_counter"),
    Clause("D4", "DOC", "a property has top (items or null) and sum (number or null)", "get_counter"),
    Clause("D5", "DOC", "v74: data.total and each property's total are integers >= 0", "get_counter"),
    Clause("D6", "ASM", "totals consistent; top ordered by value, distinct profiles", "get_counter"),
    Clause("D7", "ASM", "undocumented fields are tolerated and listed", "get_counter"),
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
    Clause("G1", "DOC", 'success: data an array of links, total_count an integer >= 0', "get"),
    Clause("G2", "DOC", "a link has ids (24 hex), xxh_a/xxh_b (xxHash64 of them), db_b and props", "get"),
    Clause("G3", "ASM", "every link's profile_id_a is the matched profile; no profile_id_b twice", "get"),
    Clause("G4", "ASM", "total_count is the number of links; no links gives [] and 0", "get"),
    Clause("G5", "ASM", "a property value is a number or a boolean", "get"),
    Clause("G6", "ASM", "XML: a <data> per link, total_count a sibling; P1 holds", "get"),
    Clause("C1", "ASM", "v74: data.total equals total_count; v72: props {} iff no link"),
    Clause("C2", "ASM", "get_counter's property names are the names the links carry"),
    Clause("C3", "ASM", "sum is the sum of the links' values; v74 total is the links carrying it"),
    Clause("C4", "ASM", "top items name links with their values; no larger value left out"),
    Clause("V72", "DOC", "the v72 contract (no totals required)"),
    Clause("V74", "DOC", "the v74 contract (totals required)"),
)

BY_ID: dict[str, Clause] = {c.id: c for c in CLAUSES}


def get(clause_id: str) -> Clause:
    """The clause with this ID; an unknown ID is a programming error."""
    return BY_ID[clause_id]
