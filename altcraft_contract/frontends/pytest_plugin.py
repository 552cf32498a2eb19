"""The pytest plugin: options, the run, one item per scenario, reports, baselines.

Under pytest-xdist each worker builds its own run (its own embedded endpoint) and hands its results
record to the controller, which merges them and writes the reports once.
"""

from __future__ import annotations

import gc
import json
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from .. import endpoints
from ..checks.failures import Status
from ..contract import clauses
from ..reports import baseline, exits, junit, results
from ..reports import files as reports
from ..run import engine, profiles
from ..run.build import Run
from ..run.runner import Outcome, Prefetch, run_scenario
from ..run.scenario import Scenario
from ..scenarios.all import all_scenarios, for_endpoints
from ..wire.redact import safe
from . import finish, progress
from . import pytest_setup as setup
from .pytest_setup import RUN_KEY

assert profiles.PROFILES  # registered on import, before Hypothesis reads --hypothesis-profile

OUTCOMES_KEY = pytest.StashKey[list[Outcome]]()
RECORDS_KEY = pytest.StashKey[list[dict[str, Any]]]()
BASELINES_KEY = pytest.StashKey[list[dict[str, Any]]]()
DOC_KEY = pytest.StashKey[dict[str, Any]]()
EXTERNAL_KEY = pytest.StashKey[list[dict[str, Any]]]()
PREFETCH_KEY = pytest.StashKey[Prefetch | None]()
STOPPED_KEY = pytest.StashKey[tuple[str, str]]()
SHOWN_KEY = pytest.StashKey[dict[tuple[str, str, str, str], str]]()
TOOL_TEXT_KEY = pytest.StashKey[str]()
BEHAVIOUR_CHANGED = finish.BEHAVIOUR_CHANGED


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("altcraft", "Altcraft get_counter contract suite")
    g.addoption("--target", default=None, help="target file (TOML); default: the embedded reference endpoint")
    g.addoption("--base-url", default=None, help="override [target] base_url")
    # Values are read as text and checked by the suite (pytest_setup.build_early), so a bad one is one
    # line with exit 65 and a stop report, not argparse's usage error.
    g.addoption("--api-version", default=None, help="override [target] api_version (v72 or v74)")
    g.addoption("--transport", default="loopback", choices=["loopback", "inprocess"],
                help="how to reach the embedded endpoint: a real loopback server (default) or in-process")
    g.addoption("--fault", default="none", help="run the embedded endpoint with this fault from the catalogue")
    g.addoption("--reference-variant", default="strict", help="conformance variant of the embedded endpoint")
    g.addoption("--reports-dir", default="reports", help="where results.json, report.html and junit.xml go")
    g.addoption("--max-rps", default=None, help="request rate limit for the whole run (all workers)")
    g.addoption("--request-timeout", default=None, help="seconds per request (overrides [target] timeout)")
    g.addoption("--request-budget", default=None, help="stop sending after this many requests")
    g.addoption("--max-answer-bytes", default=None,
                help="read at most this many bytes of an answer (default 4 MiB; overrides [target] max_answer_bytes)")
    g.addoption("--concurrency", default="8",
                help="scenarios sent at once, under the same rate limit and budget (default 8; 1 = one by one)")
    g.addoption("--reference-latency-ms", default="0",
                help="delay every answer of the embedded endpoint (to measure the suite against a far target)")
    g.addoption("--endpoint", action="append", choices=list(endpoints.READS), default=None,
                help="check only this endpoint (repeatable; default: every endpoint). A scenario that "
                     "uses several (C: both reads; the writes: both reads and their writes) needs them all")
    g.addoption("--writes", action="store_true", default=False,
                help="run the write scenarios under the target file's [writes] (restored at the end)")
    g.addoption("--dry-run", action="store_true", default=False,
                help="with --writes: print the plan of writes instead of sending them")
    g.addoption("--skip-preflight", action="store_true", default=False,
                help="do not read every named profile before the scenarios (the preflight stops on a refused "
                     "token, 77, or an unknown profile or relation, 67)")
    g.addoption("--record-baseline", default=None, metavar="FILE", help="record the fixed probes' behaviour")
    g.addoption("--compare-baseline", default=None, metavar="FILE",
                help=f"compare the fixed probes with a recorded baseline (exit {BEHAVIOUR_CHANGED} on changes)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    exits.guard_logging()
    setup.without_configuration(config)
    config.addinivalue_line("markers", "clause(id): the contract clause a scenario exercises")
    config.stash[OUTCOMES_KEY], config.stash[RECORDS_KEY], config.stash[BASELINES_KEY] = [], [], []
    config.stash[EXTERNAL_KEY] = []
    if config.getoption("hypothesis_profile", None) is None:
        settings.load_profile("default")  # ours, not Hypothesis' automatic "ci" (see profiles.resolve)
    if setup.runs_contract_tests(config) and not setup.is_worker(config) and not config.option.collectonly:
        reports.clear_stale(config.getoption("--reports-dir"))  # a reviewer must never read the last run's
        if not config.option.xmlpath:
            config.option.xmlpath = str(Path(config.getoption("--reports-dir")) / "junit.xml")
        progress.install(config, setup.workdir(config))
    setup.build_early(config)


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    exits.guard_terminal(session.config)
    _show_preflight(session.config)


PREFLIGHT_SHOWN = pytest.StashKey[bool]()


def _show_preflight(config: pytest.Config) -> None:
    """The preflight's line, once, as soon as the run that did it exists (a target file's run is
    built before the session starts, the embedded endpoint's after collection)."""
    run = config.stash.get(RUN_KEY, None)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if run is None or run.preflight is None or reporter is None or config.stash.get(PREFLIGHT_SHOWN, False):
        return
    config.stash[PREFLIGHT_SHOWN] = True
    reporter.write_line(safe(f"altcraft-contract: {run.preflight['summary']}", one_line=True))


def scenario_params(family: str) -> list[Any]:
    """pytest params for every scenario of a clause family, marked with their clause (their ids:
    ``pytest_make_parametrize_id``)."""
    return [pytest.param(s, marks=pytest.mark.clause(s.clause)) for s in all_scenarios() if s.clause[0] in family]


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """A scenario's pytest id is its id, made inert here and shown as written ("relations/get \u203a
    M2: ..."): an id given as ``pytest.param(id=...)`` would reach the short summary ASCII-escaped."""
    return safe(val.id, one_line=True) if isinstance(val, Scenario) else None


def _selected(item: pytest.Item, names: tuple[str, ...]) -> bool:
    """An item of a selected endpoint: a scenario by its endpoint, a schemathesis case by its path."""
    sc = getattr(getattr(item, "callspec", None), "params", {}).get("scenario")
    if isinstance(sc, Scenario):
        return bool(for_endpoints([sc], set(names)))
    path = next((e.path for e in endpoints.ENDPOINTS.values() if f"{e.path}]" in item.name), None)
    return path is None or endpoints.by_path(path).name in names


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    node.workerinput["altcraft_seed"] = setup.shared_seed(node.config)
    node.workerinput["altcraft_dir"] = setup.workdir(node.config)


def pytest_collection_finish(session: pytest.Session) -> None:
    if any({"contract_session", "contract_run"} & set(getattr(i, "fixturenames", ())) for i in session.items):
        setup.build(session.config)
        if not setup.is_worker(session.config):
            _show_preflight(session.config)
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
    if run is None or setup.is_worker(config) or run.session.concurrency <= 1:
        return
    wanted = [sc for item in session.items
              if isinstance(sc := getattr(getattr(item, "callspec", None), "params", {}).get("scenario"), Scenario)]
    if wanted:
        prefetch = Prefetch(wanted, run.session, run.session.concurrency)
        prefetch.on_wait = getattr(config.pluginmanager.get_plugin("altcraft-progress"), "poll", None)
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
        file_under(request.node, out.failed_clauses)
        shown = request.config.stash.setdefault(SHOWN_KEY, {})  # alike failures print in full once per run
        pytest.fail(reports.failure_text(out, shown), pytrace=False)
    if out.status is Status.WAIVED:
        pytest.xfail(f"waived: {out.reason}")


def file_under(item: pytest.Item, failed: set[str] | list[str]) -> None:
    """JUnit files a failed case under every clause that failed (a ``clause`` property each, in
    contract order); the scenario's own clause stays visible as ``scenario_clause``."""
    names = sorted(set(failed), key=lambda c: list(clauses.BY_ID).index(c) if c in clauses.BY_ID else len(clauses.BY_ID))
    if names:
        item.user_properties[:] = [p for p in item.user_properties if p[0] != "clause"] + [("clause", c) for c in names]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    """An item that drives its own Hypothesis test (schemathesis) runs its engine under the lock the
    scenarios in the background share (profiles.engine_held); its body lets it go while it waits."""
    if "contract_run" not in getattr(item, "fixturenames", ()):
        return (yield)
    with engine.engine_held():
        result = yield
    run = item.config.stash.get(RUN_KEY, None)
    stopped = run.external_problems.pop(item.nodeid, None) if run is not None else None
    if stopped is not None:  # the tool was stopped part-way: say why, as scenarios do, as this item's outcome
        item.stash[STOPPED_KEY] = stopped
        kind, text = stopped
        if kind == "transport":
            pytest.fail(f"TRANSPORT (not a contract failure): {text}", pytrace=False)
        pytest.skip(f"not run: {text}")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Items that drive their own tool (schemathesis) enter the results too, as outcomes; a failure
    of theirs reads as the list of checks that failed, each with its clause (terminal and JUnit)."""
    report = yield
    run = item.config.stash.get(RUN_KEY, None)
    stopped = item.stash.get(STOPPED_KEY, None) if call.when == "call" else None
    if run is not None and call.when == "call" and "contract_run" in getattr(item, "fixturenames", ()):
        from . import st_checks  # schemathesis: only where it runs

        clause = next((m.args[0] for m in item.iter_markers("clause")), "R6")
        found: list[st_checks.Found] = []
        text = str(call.excinfo.value) if call.excinfo is not None else ""
        if stopped is not None:
            text = stopped[1]
        elif call.excinfo is not None and report.failed:
            found = st_checks.found(call.excinfo.value, clause)
            where = item.name.partition("[")[2].rstrip("]") or item.name
            if found:
                text = st_checks.describe(call.excinfo.value, found, where, run.session.target.token_env)
                file_under(item, [f.clause for f in found])
            else:  # the tool stopped on itself, as a scenario whose code raised: judged nothing
                problems = st_checks.unjudged(call.excinfo.value)
                text = ("ERROR (not a verdict on the target): the suite could not judge this item: "
                        + "; ".join(problems[:3]))
            item.stash[TOOL_TEXT_KEY] = report.longrepr = text
        item.config.stash[EXTERNAL_KEY].append(results.external_outcome(
            item.name, clause, report.outcome, text, call.duration,
            transport=stopped is not None and stopped[0] == "transport", found=[(f.clause, f.check) for f in found],
            unjudged=report.failed and stopped is None and not found))
    exits.sanitize_report(report)  # every exit of a report (terminal, JUnit, xdist) sees it clean
    return report


@pytest.hookimpl(trylast=True)
def pytest_exception_interact(node: Any, call: Any, report: Any) -> None:
    """Plugins may rewrite a failure's text here, after makereport (schemathesis does): put back the
    list of checks that failed, and clean it again."""
    if isinstance(report, pytest.TestReport) and TOOL_TEXT_KEY in getattr(node, "stash", {}) and report.failed:
        report.longrepr = node.stash[TOOL_TEXT_KEY]
    if isinstance(report, pytest.TestReport | pytest.CollectReport):
        exits.sanitize_report(report)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    names = setup.selected_endpoints(config)
    left_out = [i for i in items if not _selected(i, names)]
    if left_out:  # --endpoint: the other endpoints' scenarios are not collected at all
        config.hook.pytest_deselected(items=left_out)
        items[:] = [i for i in items if _selected(i, names)]
    # Items that drive their own tool run first, beside the scenarios started in the background.
    items.sort(key=lambda i: "contract_run" not in getattr(i, "fixturenames", ()))
    for item in items:  # the clause on every JUnit test case (a failure's clauses replace it: file_under)
        for mark in item.iter_markers("clause"):
            item.user_properties += [("clause", mark.args[0]), ("scenario_clause", mark.args[0])]


def _local_results(config: pytest.Config) -> None:
    """This process's record (and baseline probes, run by one process only)."""
    run = config.stash.get(RUN_KEY, None)
    if run is None:
        return
    started = config.stash.get(DOC_KEY, {}).get("started", time.time())
    rec = results.record(run, config.stash[OUTCOMES_KEY], started)
    rec["outcomes"] += config.stash[EXTERNAL_KEY]
    rec["preflight"] = run.preflight
    config.stash[RECORDS_KEY].append(rec)
    worker = getattr(config, "workerinput", {})
    wants_baseline = config.getoption("--record-baseline") or config.getoption("--compare-baseline")
    # One process probes: worker gw0 under xdist (its controller only merges), else the only one.
    controller_of_workers = not worker and bool(config.getoption("numprocesses", None))
    if wants_baseline and worker.get("workerid", "gw0") == "gw0" and not controller_of_workers \
            and not run.session.unreachable and not run.session.dry_run:  # a dry run sends no probes
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
    if setup.is_worker(config):
        if RUN_KEY in config.stash:
            _local_results(config)
            config.workeroutput["altcraft"] = json.dumps(  # type: ignore[attr-defined]
                {"record": config.stash[RECORDS_KEY][0], "baselines": config.stash[BASELINES_KEY]})
        return
    if config.option.collectonly:  # nothing ran: the last run's reports stay as they are
        return
    _local_results(config)
    if not config.stash[RECORDS_KEY]:
        return
    rec = results.merge(config.stash[RECORDS_KEY])
    rec["interrupted"] = exitstatus == pytest.ExitCode.INTERRUPTED
    # The process that did the preflight: the controller (a target file) or a worker (its own endpoint).
    preflight = next((r["preflight"] for r in config.stash[RECORDS_KEY] if r.get("preflight")), None)
    changes = finish.baselines(config.stash[BASELINES_KEY], config.getoption("--record-baseline"),
                               config.getoption("--compare-baseline"))
    doc = results.document(rec, changes)
    doc["preflight"] = preflight
    extra, status = finish.conclude(rec, changes, int(session.exitstatus))
    doc.update(extra)
    doc["verdict"] = finish.verdict(doc, status)  # the one story: exit status, last line, headline, JUnit
    session.exitstatus = status
    doc["written"] = reports.write_all(doc, config.getoption("--reports-dir"))
    config.stash[DOC_KEY] = doc


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    doc = config.stash.get(DOC_KEY, None)
    if doc and doc.get("preflight") and not config.stash.get(PREFLIGHT_SHOWN, False):  # xdist's own endpoints
        terminalreporter.write_line(safe(f"altcraft-contract: {doc['preflight']['summary']}", one_line=True))
    if doc and "clauses" in doc:
        recorded = config.getoption("--record-baseline") if config.stash[BASELINES_KEY] else None
        for line, red in finish.closing_lines(doc, reports.summary_lines(doc), recorded):
            terminalreporter.write_line(line, red=red)


def pytest_unconfigure(config: pytest.Config) -> None:
    """After pytest's own last line: the verdict, as the report's headline says it, as the very last
    line; and in JUnit (which pytest has written by now), with one more redaction pass."""
    if setup.is_worker(config):
        return
    verdict = config.stash.get(DOC_KEY, {}).get("verdict")
    if config.option.xmlpath:
        exits.scrub_file(config.option.xmlpath)  # JUnit is written by pytest: one more pass, to be sure
        if verdict:
            junit.add_verdict(config.option.xmlpath, verdict)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if verdict and reporter is not None:
        reporter.write_line(finish.last_line(verdict), red=verdict["exit_status"] != 0,
                            green=verdict["exit_status"] == 0, bold=True)
