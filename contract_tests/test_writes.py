"""The writes (W, S): strengthen, edit, detach, attach, checked by what both reads show afterwards
and restored. Only with the target file's [writes] table and --writes; otherwise reported
"not run: writes not allowed"."""

import pytest

from altcraft_contract.frontends.pytest_plugin import run_in_pytest, scenario_params


@pytest.mark.parametrize("scenario", scenario_params("WS"))
def test_writes(scenario, contract_session, request):
    run_in_pytest(scenario, request)
