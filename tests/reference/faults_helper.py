"""Sending one call to the correct reference app and to a faulty one, in-process, and judging each
answer with the suite's checks (for the tests that prove each fault is real)."""

from __future__ import annotations

from altcraft_contract.checks.all import run_checks
from altcraft_contract.contract.calls import Call, Expect
from altcraft_contract.reference import data
from altcraft_contract.reference.server import INPROCESS_URL, inprocess_transport, make_app, target_for
from altcraft_contract.wire.client import Client, Exchange

TARGET = target_for(INPROCESS_URL, "v74")


def judged(fault: str, call: Call, expect: Expect) -> tuple[Exchange, set[str]]:
    """The answer of the reference with ``fault`` (``none``: the correct one) and the clauses it fails."""
    app = make_app(fault=fault)
    client = Client(INPROCESS_URL, next(iter(data.VALID_TOKENS)), "T", transport=inprocess_transport(app))
    try:
        ex = client.send(call, expect)
    finally:
        client.close()
    failures, _ = run_checks(ex, TARGET)
    return ex, {f.clause for f in failures if f.severity == "error"}
