"""relations/get: the list of one A profile's links (CONTRACT-relations.md, G), and the
consistency of the two reads (C): get_counter checked against the links it aggregates.

Its schemas are ``schemas/get-success.schema.json``, ``get-link.schema.json`` and
``get-response.xsd``. ``consistency.py`` holds the relational C checks, ``scenarios.py`` the
scenarios that read both endpoints for every profile and mode.
"""

from ..base import Endpoint, Package

ENDPOINT = Endpoint("get", "relations/get: the list of links", "request", "get-success", "get-response",
                    "get-response", "linkProperty")

PACKAGE = Package(
    "get", (ENDPOINT,), owner="get", group="relations/get",
    families={"G": "Links listed (relations/get)", "C": "Consistency of the two reads"},
    clauses=(
        ("G1", "DOC", "success: data an array of links, total_count an integer >= 0"),
        ("G2", "DOC", "a link has ids (24 hex), xxh_a/xxh_b (xxHash64 of them), db_b and props"),
        ("G3", "ASM", "every link's profile_id_a is the matched profile; no profile_id_b twice"),
        ("G4", "ASM", "total_count is the number of links; no links gives [] and 0"),
        ("G5", "ASM", "a property value is a number or a boolean"),
        ("G6", "ASM", "XML: a <data> per link, total_count a sibling; P1 holds"),
    ),
    between_group="get_counter vs relations/get",
    between=(
        ("C1", "ASM", "v74: data.total equals total_count; v72: props {} iff no link"),
        ("C2", "ASM", "get_counter's property names are the names the links carry"),
        ("C3", "ASM", "sum is the sum of the links' values; v74 total is the links carrying it"),
        ("C4", "ASM", "top items name links with their values; no larger value left out"),
    ),
)
