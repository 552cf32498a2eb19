"""relations/get_counter: the aggregated relation info of one A profile (CONTRACT.md).

Its own clauses are E2 and D1-D7; its schemas are ``schemas/success-*``, ``data-*``, ``property-*``
and ``response-v72.xsd``/``response-v74.xsd``. The shared scenarios are written against it.
"""

from ..base import Endpoint, Package

ENDPOINT = Endpoint("get_counter", "relations/get_counter: aggregated relation info", "request",
                    # v74's XSD is the superset: v72 answers decode the same
                    "success-{version}", "response-v74", "response-{version}", "property")

PACKAGE = Package(
    "get_counter", (ENDPOINT,), owner="get_counter", group="relations/get_counter",
    families={"D": "Data on success"},
    clauses=(
        ("E2", "DOC", "success: error 0 and data an object"),
        ("D1", "DOC", "data.profile_id is 24 lowercase hex"),
        ("D2", "DOC", "data.profile_xxh is xxHash64 of profile_id"),
        ("D3", "DOC", "data.props is an object of property objects"),
        ("D4", "DOC", "a property has top (items or null) and sum (number or null)"),
        ("D5", "DOC", "v74: data.total and each property's total are integers >= 0"),
        ("D6", "ASM", "totals consistent; top ordered by value, distinct profiles"),
        ("D7", "ASM", "undocumented fields are tolerated and listed"),
    ),
)
