"""get_counter against relations/get › C: both reads of each profile, by each mode, agree (C1-C4)."""

import pytest

from altcraft_contract.frontends.pytest_plugin import run_in_pytest, scenario_params


@pytest.mark.parametrize("scenario", scenario_params("C"))
def test_consistency(scenario, contract_session, request):
    run_in_pytest(scenario, request)
