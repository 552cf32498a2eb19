"""get_counter › X: every xml scenario of the registry, one pytest item each."""

import pytest

from altcraft_contract.frontends.pytest_plugin import run_in_pytest, scenario_params


@pytest.mark.parametrize("scenario", scenario_params("X"))
def test_get_counter(scenario, contract_session, request):
    run_in_pytest(scenario, request)
