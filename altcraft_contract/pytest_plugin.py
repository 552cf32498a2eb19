"""The pytest plugin: options, the run, one item per scenario, reports, baselines.

Under pytest-xdist each worker builds its own run (its own embedded endpoint) and hands its results
record to the controller, which merges them and writes the reports once.
"""

from __future__ import annotations

import gc
import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from . import baseline, endpoints, exits, profiles, reports, results
from .errors import SuiteInputError, TargetUnreachable
from .failures import Status
from .redact import redact, safe
from .run import Run, build_run
from .runner import Outcome, Prefetch, run_scenario
from .scenarios.registry import Scenario, all_scenarios, for_endpoints

assert profiles.PROFILES  # registered on import, before Hypothesis reads --hypothesis-profile

RUN_KEY = pytest.StashKey[Run]()
OUTCOMES_KEY = pytest.StashKey[list[Outcome]]()
RECORDS_KEY = pytest.StashKey[list[dict[str, Any]]]()
BASELINES_KEY = pytest.StashKey[list[dict[str, Any]]]()
DOC_KEY = pytest.StashKey[dict[str, Any]]()
EXTERNAL_KEY = pytest.StashKey[list[dict[str, Any]]]()
PREFETCH_KEY = pytest.StashKey[Prefetch | None]()
WORKDIR_KEY = pytest.StashKey[str]()
SHOWN_KEY = pytest.StashKey[dict[tuple[str, str, str, str], str]]()
BEHAVIOUR_CHANGED = 10  # exit status of --compare-baseline when the target's behaviour changed
INCOMPLETE = 11  # the request budget was spent: part of the suite did not run


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("altcraft", "Altcraft get_counter contract suite")
    g.addoption("--target", default=None, help="target file (TOML); default: the embedded reference endpoint")
    g.addoption("--base-url", default=None, help="override [target] base_url")
    g.addoption("--api-version", default=None, choices=["v72", "v74"], help="override [target] api_version")
    g.addoption("--transport", default="loopback", choices=["loopback", "inprocess"],
                help="how to reach the embedded endpoint: a real loopback server (default) or in-process")
    g.addoption("--fault", default="none", help="run the embedded endpoint with this fault from the catalogue")
    g.addoption("--reference-variant", default="strict", help="conformance variant of the embedded endpoint")
    g.addoption("--reports-dir", default="reports", help="where results.json, report.html and junit.xml go")
    g.addoption("--max-rps", type=float, default=None, help="request rate limit for the whole run (all workers)")
    g.addoption("--request-timeout", type=float, default=None, help="seconds per request (overrides [target] timeout)")
    g.addoption("--request-budget", type=int, default=None, help="stop sending after this many requests")
    g.addoption("--max-answer-bytes", type=int, default=None,
                help="read at most this many bytes of an answer (default 4 MiB; overrides [target] max_answer_bytes)")
    g.addoption("--concurrency", type=int, default=8,
                help="scenarios sent at once, under the same rate limit and budget (default 8; 1 = one by one)")
    g.addoption("--reference-latency-ms", type=float, default=0.0,
                help="delay every answer of the embedded endpoint (to measure the suite against a far target)")
    g.addoption("--endpoint", action="append", choices=list(endpoints.ENDPOINTS), default=None,
                help="check only this endpoint (repeatable; default: every endpoint). The consistency "
                     "scenarios (C) need both")
    g.addoption("--record-baseline", default=None, metavar="FILE", help="record the fixed probes' behaviour")
    g.addoption("--compare-baseline", default=None, metavar="FILE",
                help=f"compare the fixed probes with a recorded baseline (exit {BEHAVIOUR_CHANGED} on changes)")


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _runs_contract_tests(config: pytest.Config) -> bool:
    """Whether the run includes the contract suite: ``pytest`` alone (testpaths), ``contract_tests``,
    ``./contract_tests/test_xml.py::...`` or an absolute path all count."""
    here = config.invocation_params.dir
    return any("contract_tests" in (here / str(a).split("::", 1)[0]).resolve().parts for a in config.args)


def _without_configuration(config: pytest.Config) -> None:
    """``pytest --target /elsewhere/t.toml`` from the repository: pytest takes that path for a test
    path while it looks for its configuration, finds none, and would collect everything under the
    current directory, self-tests included. Run what testpaths names instead, with the settings the
    reports rely on."""
    here = config.invocation_params.dir
    suite = here / "contract_tests"
    if config.inipath is not None or config.args_source is not pytest.Config.ArgsSource.INVOCATION_DIR:
        return
    if not (suite.is_dir() and (here / "pyproject.toml").is_file()):
        return
    config.args[:] = [str(suite)]
    config._inicache["junit_family"] = "xunit1"  # clause on every case (private, but read by junitxml)


def _workdir(config: pytest.Config) -> str:
    """The run's private temporary directory (mode 0700; rate and budget files, probe files),
    made by the controller, handed to xdist workers, removed at the end."""
    worker = getattr(config, "workerinput", None)
    if worker and "altcraft_dir" in worker:
        return str(worker["altcraft_dir"])
    if WORKDIR_KEY not in config.stash:
        path = tempfile.mkdtemp(prefix="altcraft-contract-")
        config.stash[WORKDIR_KEY] = path
        config.add_cleanup(lambda: shutil.rmtree(path, ignore_errors=True))
    return config.stash[WORKDIR_KEY]


def _stop(config: pytest.Config, err: SuiteInputError) -> None:
    """End the run with one line and its status, leaving a report that says why (not a stale one)."""
    if not _is_worker(config):
        reports.write_stopped(config.getoption("--reports-dir"), err.exit_status, str(err))
    pytest.exit(f"altcraft-contract: {err}", returncode=err.exit_status)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    exits.guard_logging()
    _without_configuration(config)
    config.addinivalue_line("markers", "clause(id): the contract clause a scenario exercises")
    config.stash[OUTCOMES_KEY], config.stash[RECORDS_KEY], config.stash[BASELINES_KEY] = [], [], []
    config.stash[EXTERNAL_KEY] = []
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("default")  # ours, not Hypothesis' automatic "ci" (see profiles.resolve)
    if _runs_contract_tests(config) and not _is_worker(config):
        reports.clear_stale(config.getoption("--reports-dir"))  # a reviewer must never read the last run's
        if not config.option.xmlpath:
            config.option.xmlpath = str(Path(config.getoption("--reports-dir")) / "junit.xml")
    _build_early(config)


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    exits.guard_terminal(session.config)


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
            hypothesis_profile=profiles.resolve(config.getoption("hypothesis_profile", None)),
            seed=int(seed) if seed is not None else _shared_seed(config),
            max_rps=config.getoption("--max-rps"), timeout=config.getoption("--request-timeout"),
            request_budget=config.getoption("--request-budget"),
            max_answer_bytes=config.getoption("--max-answer-bytes"), shared_dir=_workdir(config),
            concurrency=config.getoption("--concurrency"),
            reference_latency_ms=config.getoption("--reference-latency-ms"),
        )
    except SuiteInputError as err:
        _stop(config, err)
    run.session.endpoints = selected_endpoints(config)
    config.stash[RUN_KEY] = run
    config.add_cleanup(run.close)


def selected_endpoints(config: pytest.Config) -> tuple[str, ...]:
    """``--endpoint`` values in registry order; every endpoint without the option."""
    chosen = set(config.getoption("--endpoint", None) or endpoints.ENDPOINTS)
    return tuple(name for name in endpoints.ENDPOINTS if name in chosen)


def _selected(item: pytest.Item, names: tuple[str, ...]) -> bool:
    """An item of a selected endpoint: a scenario by its endpoint, a schemathesis case by its path."""
    sc = getattr(getattr(item, "callspec", None), "params", {}).get("scenario")
    if isinstance(sc, Scenario):
        return bool(for_endpoints([sc], set(names)))
    path = next((e.path for e in endpoints.ENDPOINTS.values() if f"{e.path}]" in item.name), None)
    return path is None or endpoints.by_path(path).name in names


def _shared_seed(config: pytest.Config) -> int:
    # xdist workers share the controller's random seed, so parallel runs draw what one run would.
    worker = getattr(config, "workerinput", None)
    if worker and "altcraft_seed" in worker:
        return int(worker["altcraft_seed"])
    if not hasattr(config, "_altcraft_seed"):
        config._altcraft_seed = secrets.randbelow(2**31)  # type: ignore[attr-defined]
    return int(config._altcraft_seed)  # type: ignore[attr-defined]


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    node.workerinput["altcraft_seed"] = _shared_seed(node.config)
    node.workerinput["altcraft_dir"] = _workdir(node.config)


def _build_early(config: pytest.Config) -> None:
    """Problems with the options are found before collection, so they print as a single line."""
    from .reference import faults, variants

    fault, variant = config.getoption("--fault"), config.getoption("--reference-variant")
    from .errors import TargetFileInvalid, TargetFileMissing

    fault, variant = config.getoption("--fault"), config.getoption("--reference-variant")
    if fault != "none" and fault not in faults.catalogue():
        _stop(config, TargetFileInvalid(f"unknown fault {fault!r}",
                                        "list them with `python -m altcraft_contract.reference --list-faults`"))
    if variant not in variants.VARIANTS:
        _stop(config, TargetFileInvalid(f"unknown --reference-variant {variant!r}",
                                        f"use one of {', '.join(variants.VARIANTS)}"))
    for name in ("--max-rps", "--request-timeout", "--request-budget", "--max-answer-bytes", "--concurrency"):
        value = config.getoption(name)
        if value is not None and value <= 0:
            _stop(config, TargetFileInvalid(f"{name} {value} is not positive", f"give {name} a number above 0"))
    try:  # before Hypothesis' own plugin, which would end with an INTERNALERROR traceback
        profiles.resolve(config.getoption("hypothesis_profile", None))
    except SuiteInputError as err:
        _stop(config, err)
    compare = config.getoption("--compare-baseline")
    if compare and not Path(compare).is_file():
        _stop(config, TargetFileMissing(f"baseline {compare!r} does not exist", "record one first with --record-baseline"))
    if config.getoption("--target") and not _is_worker(config):
        _build(config)


def pytest_collection_finish(session: pytest.Session) -> None:
    if any({"contract_session", "contract_run"} & set(getattr(i, "fixturenames", ())) for i in session.items):
        _build(session.config)
        session.config.stash.setdefault(DOC_KEY, {})["started"] = time.time()
        _start_prefetch(session)
        # Everything imported and collected so far lives for the whole run: move it out of the
        # collector's sight, so the collections during the run and pytest's own at exit stay cheap.
        gc.freeze()


@pytest.fixture(scope="session")
def contract_session(request: pytest.FixtureRequest) -> Any:
    return request.config.stash[RUN_KEY].session


@pytest.fixture(scope="session")
def contract_run(request: pytest.FixtureRequest) -> Run:
    """The whole run (target, client, in-process app), for modules that drive their own tools."""
    return request.config.stash[RUN_KEY]


def _start_prefetch(session: pytest.Session) -> None:
    """Start every selected scenario in the background, ``--concurrency`` at a time, so a far
    target's round trips overlap (the schemathesis module, moved first, runs beside them); the
    items then report in their own order. Under pytest-xdist the workers are the concurrency, and
    each runs its scenarios as they come."""
    config = session.config
    run = config.stash.get(RUN_KEY, None)
    config.stash[PREFETCH_KEY] = None
    if run is None or _is_worker(config) or run.session.concurrency <= 1:
        return
    wanted = [sc for item in session.items
              if isinstance(sc := getattr(getattr(item, "callspec", None), "params", {}).get("scenario"), Scenario)]
    if wanted:
        prefetch = Prefetch(wanted, run.session, run.session.concurrency)
        config.stash[PREFETCH_KEY] = prefetch
        config.add_cleanup(lambda: prefetch.stop("the run ended"))


def run_in_pytest(scenario: Scenario, request: pytest.FixtureRequest) -> None:
    """The body of every contract item: run the scenario, turn its outcome into pytest's."""
    run = request.config.stash[RUN_KEY]
    prefetch = request.config.stash.get(PREFETCH_KEY, None)
    out = (prefetch.take(scenario.id) if prefetch else None) or run_scenario(scenario, run.session)
    request.config.stash[OUTCOMES_KEY].append(out)
    if out.status is Status.NOT_RUN:
        pytest.skip(f"not run: {out.reason}")
    if out.transport_error:
        pytest.fail(f"TRANSPORT (not a contract failure): {out.reason}", pytrace=False)
    if out.status is Status.FAILED and not out.failures:
        pytest.fail(f"ERROR (not a verdict on the target): {out.reason}", pytrace=False)
    if out.status is Status.FAILED:
        shown = request.config.stash.setdefault(SHOWN_KEY, {})  # alike failures print in full once per run
        pytest.fail(reports.failure_text(out, shown), pytrace=False)
    if out.status is Status.WAIVED:
        pytest.xfail(f"waived: {out.reason}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Items that drive their own tool (schemathesis) enter the results too, as outcomes."""
    report = yield
    run = item.config.stash.get(RUN_KEY, None)
    stopped = run.external_problems.pop(item.nodeid, None) if run is not None and call.when == "call" else None
    if stopped is not None and report.outcome != "skipped":  # the tool was stopped: say why, as scenarios do
        kind, text = stopped
        if kind == "transport":
            report.outcome, report.longrepr = "failed", f"TRANSPORT (not a contract failure): {text}"
        else:
            report.outcome, report.longrepr = "skipped", (str(item.path), 0, f"Skipped: not run: {text}")
    exits.sanitize_report(report)  # every exit of a report (terminal, JUnit, xdist) sees it clean
    if run is not None and call.when == "call" and "contract_run" in getattr(item, "fixturenames", ()):
        clause = next((m.args[0] for m in item.iter_markers("clause")), "R6")
        # The tool's own message (schemathesis masks tokens in it), not the traceback around it.
        text = str(call.excinfo.value) if call.excinfo is not None else ""
        if stopped is not None:
            text = stopped[1]
        item.config.stash[EXTERNAL_KEY].append(results.external_outcome(
            item.nodeid.split("::")[-1], clause, report.outcome, text, call.duration,
            transport=stopped is not None and stopped[0] == "transport"))
    return report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    names = selected_endpoints(config)
    left_out = [i for i in items if not _selected(i, names)]
    if left_out:  # --endpoint: the other endpoints' scenarios are not collected at all
        config.hook.pytest_deselected(items=left_out)
        items[:] = [i for i in items if _selected(i, names)]
    # Items that drive their own tool run first, beside the scenarios started in the background.
    items.sort(key=lambda i: "contract_run" not in getattr(i, "fixturenames", ()))
    for item in items:  # the clause on every JUnit test case
        for mark in item.iter_markers("clause"):
            item.user_properties.append(("clause", mark.args[0]))


def _local_results(config: pytest.Config) -> None:
    """This process's record (and baseline probes, run by one process only)."""
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    started = config.stash.get(DOC_KEY, {}).get("started", time.time())
    rec = results.record(run, config.stash[OUTCOMES_KEY], started)
    rec["outcomes"] += config.stash[EXTERNAL_KEY]
    config.stash[RECORDS_KEY].append(rec)
    worker = getattr(config, "workerinput", {})
    wants_baseline = config.getoption("--record-baseline") or config.getoption("--compare-baseline")
    # One process probes: worker gw0 under xdist (its controller only merges), else the only one.
    controller_of_workers = not worker and bool(config.getoption("numprocesses", None))
    if wants_baseline and worker.get("workerid", "gw0") == "gw0" and not controller_of_workers \
            and not run.session.unreachable:
        config.stash[BASELINES_KEY].append(baseline.record(run.session))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    data = getattr(node, "workeroutput", {}).get("altcraft")
    if data:
        payload = json.loads(data)
        node.config.stash[RECORDS_KEY].append(payload["record"])
        node.config.stash[BASELINES_KEY] += payload["baselines"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if _is_worker(config):
        if RUN_KEY in config.stash:
            _local_results(config)
            config.workeroutput["altcraft"] = json.dumps(  # type: ignore[attr-defined]
                {"record": config.stash[RECORDS_KEY][0], "baselines": config.stash[BASELINES_KEY]})
        return
    _local_results(config)
    if not config.stash[RECORDS_KEY]:
        return
    rec = results.merge(config.stash[RECORDS_KEY])
    changes = _baselines(config, session)
    doc = results.document(rec, changes)
    if rec["unreachable"]:
        err = TargetUnreachable(f"the target {rec['target']['base_url']} stopped answering ({rec['unreachable']})",
                                "check that it is up, then run again")
        doc["unreachable_line"] = f"altcraft-contract: {err}"
        doc["stopped"] = {"exit_status": err.exit_status, "reason": str(err)}
        session.exitstatus = err.exit_status
    elif exitstatus == pytest.ExitCode.INTERRUPTED:
        doc["stopped"] = {"exit_status": int(exitstatus), "reason": "interrupted: the scenarios left were not run"}
    elif rec.get("budget_spent"):
        doc["stopped"] = {"exit_status": INCOMPLETE, "reason": "the request budget was spent: the scenarios "
                          "reported 'not run' did not run (raise --request-budget to run them)"}
        if session.exitstatus == 0:
            session.exitstatus = INCOMPLETE
    elif changes and changes["changes"] and session.exitstatus == 0:
        session.exitstatus = BEHAVIOUR_CHANGED
    doc["written"] = reports.write_all(doc, config.getoption("--reports-dir"))
    config.stash[DOC_KEY] = doc


def _baselines(config: pytest.Config, session: pytest.Session) -> dict[str, Any] | None:
    observed = config.stash[BASELINES_KEY]
    if not observed:
        return None
    if config.getoption("--record-baseline"):
        Path(config.getoption("--record-baseline")).write_text(
            redact(json.dumps(observed[0], indent=2, ensure_ascii=False)), encoding="utf-8")
    if config.getoption("--compare-baseline"):
        return baseline.compare(baseline.load(config.getoption("--compare-baseline")), observed[0])
    return None


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    doc = config.stash.get(DOC_KEY, None)
    if not doc or "clauses" not in doc:
        return
    for line in reports.summary_lines(doc):
        terminalreporter.write_line(safe(line))
    if config.getoption("--record-baseline"):
        terminalreporter.write_line(safe(f"baseline recorded: {config.getoption('--record-baseline')}"))
    terminalreporter.write_line(safe(f"reports: {', '.join(doc['written'])}"))
    if doc.get("unreachable_line"):
        terminalreporter.write_line(safe(doc["unreachable_line"]), red=True)
    elif doc.get("stopped"):
        terminalreporter.write_line(safe(f"altcraft-contract: stopped: {doc['stopped']['reason']}"), red=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    if config.option.xmlpath and not _is_worker(config):
        exits.scrub_file(config.option.xmlpath)  # JUnit is written by pytest: one more pass, to be sure
