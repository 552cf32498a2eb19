"""The endpoints the suite checks, registered once: everything else reads them from here.

What is shared by every endpoint: the wire (client, gate, session), the T, E1, E3, E4, E2.text,
R, X and P clauses, the target file's [data] profiles, the reports. What belongs to one endpoint:
the clauses whose ``endpoint`` names it, its schemas and XSD (named here), its per-answer checks
(registered with ``applies_to``), its scenarios and its reference behaviour and faults. Adding an
endpoint means one ``Endpoint`` below plus its own clauses, schemas, checks and scenarios.
"""

from __future__ import annotations

from dataclasses import dataclass

BASE = "/api/v1.1/relations/"


@dataclass(frozen=True)
class Endpoint:
    name: str  # the method name after /relations/, and the --endpoint value
    title: str
    request_schema: str  # schemas/<name>.schema.json for the request body
    success_schema: str  # schemas/<name>.schema.json for a success; "{version}" is the API version
    response_xsd: str  # schemas/<name>.xsd that types the XML answer for the decoder
    validation_xsd: str  # schemas/<name>.xsd an XML answer is validated against; "{version}" as above
    property_element: str  # the XSD's global element that each element under <props> is checked as

    @property
    def path(self) -> str:
        return BASE + self.name

    def success(self, api_version: str) -> str:
        return self.success_schema.format(version=api_version)

    def xsd(self, api_version: str) -> str:
        return self.validation_xsd.format(version=api_version)


GET_COUNTER = Endpoint("get_counter", "relations/get_counter: aggregated relation info", "request",
                       # v74's XSD is the superset: v72 answers decode the same
                       "success-{version}", "response-v74", "response-{version}", "property")
GET = Endpoint("get", "relations/get: the list of links", "request", "get-success", "get-response",
               "get-response", "linkProperty")

ENDPOINTS: dict[str, Endpoint] = {e.name: e for e in (GET_COUNTER, GET)}

# The write endpoints (W): known to by_path() and get(), but kept out of ENDPOINTS, which the read
# scenarios, --endpoint and the reports iterate: a run writes only when it is asked to (S3).
# attach's path is not published (W6): a target file names its own.
WRITES: dict[str, Endpoint] = {
    name: Endpoint(name, f"relations/{name}: {title}", "write-request", "write-success", "write-response",
                   "write-response", "")
    for name, title in (("strengthen", "add to a link's properties"), ("edit", "replace a link's properties"),
                        ("detach", "remove a link"), ("attach", "create a link (path not published)"))}


def by_path(path: str) -> Endpoint:
    """The endpoint a request path names (a trailing slash is the same path); get_counter for any
    other path, since the probes of unknown paths read their answers as get_counter's."""
    stripped = path.split("?", maxsplit=1)[0].rstrip("/")
    for e in (*ENDPOINTS.values(), *WRITES.values()):
        if e.path == stripped:
            return e
    return GET_COUNTER


def get(name: str) -> Endpoint:
    if name in WRITES:
        return WRITES[name]
    if name not in ENDPOINTS:
        raise KeyError(f"unknown endpoint {name!r}; known: {', '.join([*ENDPOINTS, *WRITES])}")
    return ENDPOINTS[name]
