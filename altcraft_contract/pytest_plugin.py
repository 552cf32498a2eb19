"""The pytest plugin: options, the run's Session, one item per scenario, clause summary."""

from __future__ import annotations

import secrets
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from . import reports
from .errors import SuiteInputError
from .failures import Status
from .run import Run, build_run
from .runner import Outcome, run_scenario
from .scenarios.registry import Scenario, all_scenarios

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.filter_too_much],
           "database": None, "print_blob": False}
settings.register_profile("quick", max_examples=12, **_COMMON)
settings.register_profile("default", max_examples=50, **_COMMON)
settings.register_profile("thorough", max_examples=300, **_COMMON)

RUN_KEY = pytest.StashKey[Run]()
OUTCOMES_KEY = pytest.StashKey[list[Outcome]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("altcraft", "Altcraft get_counter contract suite")
    g.addoption("--target", default=None, help="target file (TOML); default: the embedded reference endpoint")
    g.addoption("--base-url", default=None, help="override [target] base_url")
    g.addoption("--api-version", default=None, choices=["v72", "v74"], help="override [target] api_version")
    g.addoption("--transport", default="loopback", choices=["loopback", "inprocess"],
                help="how to reach the embedded endpoint: a real loopback server (default) or in-process")
    g.addoption("--fault", default="none", help="run the embedded endpoint with this fault from the catalogue")
    g.addoption("--reference-variant", default="strict", help="conformance variant of the embedded endpoint")
    g.addoption("--reports-dir", default="reports", help="where results.json (and the HTML report) go")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clause(id): the contract clause a scenario exercises")
    config.stash[OUTCOMES_KEY] = []
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("default")  # our "default", registered above


def scenario_params(family: str) -> list[Any]:
    """pytest params for every scenario of a clause family, marked with their clause."""
    return [pytest.param(s, id=s.id, marks=pytest.mark.clause(s.clause))
            for s in all_scenarios() if s.clause[0] in family]


def _fatal(config: pytest.Config, err: SuiteInputError) -> None:
    sys.stderr.write(f"altcraft-contract: {err}\n")
    pytest.exit(str(err), returncode=err.exit_status)


def pytest_collection_finish(session: pytest.Session) -> None:
    config = session.config
    if not any("contract_session" in getattr(i, "fixturenames", ()) for i in session.items):
        return
    seed = config.getoption("hypothesis_seed", None)
    try:
        run = build_run(
            target_path=config.getoption("--target"), base_url=config.getoption("--base-url"),
            api_version=config.getoption("--api-version"), transport=config.getoption("--transport"),
            fault=config.getoption("--fault"), variant=config.getoption("--reference-variant"),
            hypothesis_profile=settings.get_current_profile_name(),
            seed=int(seed) if seed is not None else secrets.randbelow(2**31),
        )
    except SuiteInputError as err:
        _fatal(config, err)
        return
    config.stash[RUN_KEY] = run
    config.add_cleanup(run.close)


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest) -> Any:
    return request.config.stash[RUN_KEY].session


def run_in_pytest(scenario: Scenario, request: pytest.FixtureRequest) -> None:
    """The body of every contract item: run the scenario, turn its outcome into pytest's."""
    run = request.config.stash[RUN_KEY]
    request.node.user_properties.append(("clause", scenario.clause))
    out = run_scenario(scenario, run.session)
    request.config.stash[OUTCOMES_KEY].append(out)
    if out.status is Status.NOT_RUN:
        pytest.skip(f"not run: {out.reason}")
    if out.transport_error:
        pytest.fail(f"TRANSPORT (not a contract failure): {out.reason}", pytrace=False)
    if out.status is Status.FAILED:
        pytest.fail(reports.failure_text(out), pytrace=False)
    if out.status is Status.WAIVED:
        pytest.xfail(f"waived: {out.reason}")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    run = config.stash.get(RUN_KEY, None)
    outcomes = config.stash.get(OUTCOMES_KEY, [])
    if run is None or not outcomes:
        return
    for line in reports.summary_lines(run, outcomes):
        terminalreporter.write_line(line)
    written = reports.write_all(run, outcomes, config.getoption("--reports-dir"))
    terminalreporter.write_line(f"reports: {', '.join(written)}")
