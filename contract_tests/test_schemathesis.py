"""get_counter › schemathesis: positive and negative cases generated from schemas/openapi.json,
checked by schemathesis' own checks and by ours for this API's conventions (E1/E4, R4, D2).

Every request goes through the run's gate (budget, rate, timeout, bounded read); a transport
problem or a spent budget is recorded for the item and reported as such, never as a failure of the
contract, and never with the traceback (whose frames would hold the request)."""

import pytest

from altcraft_contract.frontends import st_checks
from altcraft_contract.run.runner import DRY_RUN

schema = st_checks.load_schema()


@schema.parametrize()
@pytest.mark.clause("R6")
def test_openapi(case, contract_run, request):
    if contract_run.session.unreachable:
        pytest.skip(f"not run: the target is unreachable ({contract_run.session.unreachable})")
    if contract_run.session.dry_run:
        pytest.skip(f"not run: {DRY_RUN}")
    st_checks.send_case(case, contract_run, request.node.nodeid)
