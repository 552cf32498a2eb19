"""get_counter › D: every scenario of the registry about what a success's data shows, one pytest item each."""

import pytest

from altcraft_contract.frontends.pytest_plugin import run_in_pytest, scenario_params


@pytest.mark.parametrize("scenario", scenario_params("D"))
def test_get_counter(scenario, contract_session, request):
    run_in_pytest(scenario, request)
