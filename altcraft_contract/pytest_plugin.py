"""The pytest plugin: options, the run's Session, one item per scenario, clause summary."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from hypothesis import settings

from . import profiles, reports
from .errors import SuiteInputError
from .failures import Status
from .run import Run, build_run
from .runner import Outcome, run_scenario
from .scenarios.registry import Scenario, all_scenarios

assert profiles.PROFILES  # registered on import, before Hypothesis reads --hypothesis-profile

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
    _build_early(config)


def scenario_params(family: str) -> list[Any]:
    """pytest params for every scenario of a clause family, marked with their clause."""
    return [pytest.param(s, id=s.id, marks=pytest.mark.clause(s.clause))
            for s in all_scenarios() if s.clause[0] in family]


def _build(config: pytest.Config) -> None:
    """Assemble the run; a problem with the suite's input ends pytest with one line and its status."""
    if RUN_KEY in config.stash:
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
        pytest.exit(f"altcraft-contract: {err}", returncode=err.exit_status)
    config.stash[RUN_KEY] = run
    config.add_cleanup(run.close)


def _build_early(config: pytest.Config) -> None:
    """Problems with the options are found before collection, so they print as a single line."""
    from .reference import faults, variants

    fault, variant = config.getoption("--fault"), config.getoption("--reference-variant")
    if fault != "none" and fault not in faults.catalogue():
        pytest.exit(f"altcraft-contract: unknown fault {fault!r}; list them with "
                    "`python -m altcraft_contract.reference --list-faults`", returncode=65)
    if variant not in variants.VARIANTS:
        pytest.exit(f"altcraft-contract: unknown --reference-variant {variant!r}; use one of "
                    f"{', '.join(variants.VARIANTS)}", returncode=65)
    if config.getoption("--target"):
        _build(config)


def pytest_collection_finish(session: pytest.Session) -> None:
    if any({"contract_session", "contract_run"} & set(getattr(i, "fixturenames", ())) for i in session.items):
        _build(session.config)


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest) -> Any:
    return request.config.stash[RUN_KEY].session


@pytest.fixture(scope="session")
def contract_run(request: pytest.FixtureRequest) -> Run:
    """The whole run (target, client, in-process app), for modules that drive their own tools."""
    return request.config.stash[RUN_KEY]


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
