"""Setting a run up inside pytest: which process this is, the run's private directory, the
options checked before collection (each problem one line and its exit status, with a stop
report), and the run itself built from the options."""

from __future__ import annotations

import secrets
import shutil
import tempfile
from pathlib import Path

import pytest

from ..errors import SuiteInputError
from ..reports import files as reports
from ..run import profiles
from ..run.build import Run, build_run

RUN_KEY = pytest.StashKey[Run]()
WORKDIR_KEY = pytest.StashKey[str]()


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def runs_contract_tests(config: pytest.Config) -> bool:
    """Whether the run includes the contract suite: ``pytest`` alone (testpaths), ``contract_tests``,
    ``./contract_tests/test_xml.py::...`` or an absolute path all count."""
    here = config.invocation_params.dir
    return any("contract_tests" in (here / str(a).split("::", 1)[0]).resolve().parts for a in config.args)


def without_configuration(config: pytest.Config) -> None:
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


def workdir(config: pytest.Config) -> str:
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


def stop(config: pytest.Config, err: SuiteInputError) -> None:
    """End the run with one line and its status, leaving a report that says why (not a stale one):
    the line says STOPPED and the status, as the report's headline and its JUnit case do."""
    if not is_worker(config):
        seen = getattr(err, "preflight", None)  # a preflight stop: the reads that showed it
        reports.write_stopped(config.getoption("--reports-dir"), err.exit_status, str(err),
                              getattr(config.option, "xmlpath", None), {"preflight": seen} if seen else None)
    pytest.exit(f"altcraft-contract: STOPPED (exit {err.exit_status}): {err}", returncode=err.exit_status)


def build(config: pytest.Config) -> None:
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
            seed=int(seed) if seed is not None else shared_seed(config),
            max_rps=config.getoption("--max-rps"), timeout=config.getoption("--request-timeout"),
            request_budget=config.getoption("--request-budget"),
            max_answer_bytes=config.getoption("--max-answer-bytes"), shared_dir=workdir(config),
            concurrency=config.getoption("--concurrency"),
            reference_latency_ms=config.getoption("--reference-latency-ms"),
            writes=config.getoption("--writes"), dry_run=config.getoption("--dry-run"),
            selected=selected_endpoints(config), preflight=wants_preflight(config),
        )
    except SuiteInputError as err:
        stop(config, err)
    if run.preflight is None and config.getoption("--skip-preflight") and not is_worker(config):
        from ..run.preflight import skipped

        run.preflight = skipped("--skip-preflight")
    config.stash[RUN_KEY] = run
    config.add_cleanup(run.close)


def wants_preflight(config: pytest.Config) -> bool:
    """The preflight runs once per target: in the process that builds the run from a target file (a
    worker's controller did it), and in each process serving its own embedded endpoint."""
    if config.getoption("--skip-preflight"):
        return False
    return not (is_worker(config) and config.getoption("--target"))


def selected_endpoints(config: pytest.Config) -> tuple[str, ...]:
    """``--endpoint`` values in registry order; every endpoint without the option."""
    from .. import endpoints

    chosen = set(config.getoption("--endpoint", None) or endpoints.ENDPOINTS)
    return tuple(name for name in endpoints.ENDPOINTS if name in chosen)


def shared_seed(config: pytest.Config) -> int:
    # xdist workers share the controller's random seed, so parallel runs draw what one run would.
    worker = getattr(config, "workerinput", None)
    if worker and "altcraft_seed" in worker:
        return int(worker["altcraft_seed"])
    if not hasattr(config, "_altcraft_seed"):
        config._altcraft_seed = secrets.randbelow(2**31)  # type: ignore[attr-defined]
    return int(config._altcraft_seed)  # type: ignore[attr-defined]


NUMBERS = {"--max-rps": float, "--request-timeout": float, "--request-budget": int, "--max-answer-bytes": int,
           "--concurrency": int, "--reference-latency-ms": float, "--hypothesis-seed": int}


def _numbers(config: pytest.Config) -> None:
    """Each numeric option as its number (in place), or one line and exit 65 naming the bad one."""
    from ..errors import TargetFileInvalid

    for name, kind in NUMBERS.items():
        dest = name.lstrip("-").replace("-", "_")
        raw = getattr(config.option, dest, None)
        if raw is None or isinstance(raw, int | float):
            continue
        try:
            value = kind(raw)
        except ValueError:
            stop(config, TargetFileInvalid(f"{name} {raw!r} is not a {'whole ' if kind is int else ''}number",
                                           f"give {name} a number, e.g. {name} {5 if kind is int else 2.5}"))
        if name != "--hypothesis-seed" and (value < 0 or (value == 0 and name != "--reference-latency-ms")):
            stop(config, TargetFileInvalid(f"{name} {raw} is not positive", f"give {name} a number above 0"))
        setattr(config.option, dest, value)


def build_early(config: pytest.Config) -> None:
    """Problems with the options are found before collection, so they print as a single line."""
    from ..errors import TargetFileInvalid, TargetFileMissing
    from ..reference import catalogue, variants
    from ..reports import baseline

    _numbers(config)
    fault, variant = config.getoption("--fault"), config.getoption("--reference-variant")
    if fault != "none" and fault not in catalogue.catalogue():
        stop(config, TargetFileInvalid(f"unknown fault {fault!r}",
                                       "list them with `python -m altcraft_contract.reference --list-faults`"))
    if variant not in variants.VARIANTS:
        stop(config, TargetFileInvalid(f"unknown --reference-variant {variant!r}",
                                       f"use one of {', '.join(variants.VARIANTS)}"))
    api = config.getoption("--api-version")
    if api is not None and api not in ("v72", "v74"):
        stop(config, TargetFileInvalid(f"--api-version {api!r} is not one the suite knows", "use v72 or v74"))
    record = config.getoption("--record-baseline")
    if record and not Path(record).resolve().parent.is_dir():
        try:
            Path(record).resolve().parent.mkdir(parents=True)
        except OSError as exc:
            stop(config, TargetFileInvalid(f"--record-baseline {record!r}: its folder cannot be made ({exc.strerror})",
                                           "name a file in a folder you can write"))
    try:  # before Hypothesis' own plugin, which would end with an INTERNALERROR traceback
        profiles.resolve(config.getoption("hypothesis_profile", None))
    except SuiteInputError as err:
        stop(config, err)
    compare = config.getoption("--compare-baseline")
    if compare and not Path(compare).is_file():
        stop(config, TargetFileMissing(f"baseline {compare!r} does not exist", "record one first with --record-baseline"))
    if compare:
        try:
            baseline.load(compare)
        except (ValueError, UnicodeDecodeError) as exc:
            stop(config, TargetFileInvalid(f"baseline {compare!r} cannot be read ({str(exc)[:120]})",
                                           "compare with a file written by --record-baseline"))
    if config.getoption("--target") and not is_worker(config):
        build(config)
