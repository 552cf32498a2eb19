"""get_counter › schemathesis: positive and negative cases generated from schemas/openapi.json,
checked by schemathesis' own checks and by ours for this API's conventions (E1/E4, R4, D2)."""

import pytest

from altcraft_contract import st_checks

schema = st_checks.load_schema()


@schema.parametrize()
@pytest.mark.clause("R6")
def test_openapi(case, contract_run):
    if contract_run.session.unreachable:
        pytest.skip(f"not run: the target is unreachable ({contract_run.session.unreachable})")
    target = contract_run.session.target
    st_checks.SETTINGS["error_http_status"] = target.error_http_status
    token = contract_run.session.client.token_for_tools()
    if isinstance(case.body, dict):
        case.body["token"] = token  # a valid token, so the answers say more than "401"
    where = {"app": contract_run.app} if contract_run.app is not None else {"base_url": target.base_url}
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, additional_checks=st_checks.CHECKS,
                           excluded_checks=[st_checks.excluded(n) for n in st_checks.EXCLUDED], **where)
