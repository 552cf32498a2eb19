"""The ``altcraft-contract`` command (also ``python -m altcraft_contract``).

    altcraft-contract init --base-url URL --token-env VAR --rel-id N --profile-id ID ... --output FILE
    altcraft-contract check --target FILE       the preflight only
    altcraft-contract run [pytest options]      the suite (pytest contract_tests ...)
    altcraft-contract serve [options]           the reference endpoint, standalone
    altcraft-contract faults [--clause C]       the fault catalogue

pytest stays the engine: ``run`` is ``pytest contract_tests`` from the package's checkout, with
every option passed through and its exit status returned. Every problem with the command line is
one line and an exit status of its own (README's table), never a usage page or a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import NoReturn

from ..errors import SuiteInputError, TargetFileInvalid, TargetFileMissing

PROG = "altcraft-contract"


class OneLineParser(argparse.ArgumentParser):
    """argparse, whose mistakes are one line and exit 65 like the suite's (argparse's own is 2,
    which the suite uses for an interrupted run)."""

    def error(self, message: str) -> NoReturn:
        where = self.prog.removeprefix(PROG).strip() or "the command line"
        fail(TargetFileInvalid(f"{where}: {message}", f"see {self.prog} --help"))


def fail(err: SuiteInputError) -> NoReturn:
    print(f"{PROG}: {err}", file=sys.stderr)
    raise SystemExit(err.exit_status)


def suite_dir() -> Path:
    """``contract_tests/`` of the checkout the package runs from (an editable install)."""
    here = Path(__file__).resolve().parents[2] / "contract_tests"
    if not (here / "__init__.py").is_file():
        raise TargetFileMissing(f"the contract suite is not beside the installed package (no {here})",
                                "install the package from its checkout: pip install -e <checkout>")
    return here


def run(args: list[str]) -> int:
    """``pytest contract_tests ARGS`` in a fresh interpreter (pytest must import the plugin itself, to
    rewrite its asserts); its exit status, or the suite's."""
    import subprocess

    proc = subprocess.Popen([sys.executable, "-m", "pytest", str(suite_dir()), *args])
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # the terminal sent it to pytest too: it stops, reports, and ends with 2
            continue


def serve(args: list[str]) -> int:
    from ..reference.__main__ import main as reference_main

    return reference_main(args, prog=f"{PROG} serve")


def faults(clause: str | None) -> int:
    from ..contract import clauses
    from ..reference.__main__ import print_lines
    from ..reference.catalogue import listing

    if clause is not None and clause.lower() not in {c.lower() for c in clauses.BY_ID}:
        raise TargetFileInvalid(f"--clause {clause!r} is not a clause of the contract",
                                "use an ID from docs/CONTRACT.md, e.g. --clause D2")
    return print_lines(listing(clause))


def check(ns: argparse.Namespace) -> int:
    """The preflight against a target file, then one line: what it found, or why the run would stop."""
    from ..run.build import build_run
    from ..wire.redact import safe

    run_ = build_run(target_path=ns.target, base_url=ns.base_url, api_version=ns.api_version, writes=ns.writes,
                     max_rps=ns.max_rps, timeout=ns.request_timeout, selected=tuple(ns.endpoint or ()) or None,
                     preflight=True)
    try:
        summary = (run_.preflight or {}).get("summary", "")
        print(safe(f"{PROG}: {run_.session.target.source}: {summary}", one_line=True))
    finally:
        run_.close()
    return 0


def _positive(kind: type[float] | type[int]) -> object:
    def parse(raw: str) -> float | int:
        value = kind(raw)
        if value <= 0:
            raise ValueError(raw)
        return value

    parse.__name__ = "positive number"  # argparse names the type in its one line
    return parse


def parser() -> OneLineParser:
    ap = OneLineParser(prog=PROG, description=__doc__.replace("``", ""),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", metavar="{init,check,run,serve,faults}", parser_class=OneLineParser)
    sub.required = True
    from .init import add_arguments

    add_arguments(sub.add_parser("init", help="write a target file from a live server"))
    c = sub.add_parser("check", help="the preflight only: the token, the profiles, the relation")
    c.add_argument("--target", required=True, metavar="FILE", help="the target file (TOML)")
    c.add_argument("--base-url", help="override [target] base_url")
    c.add_argument("--api-version", choices=["v72", "v74"], help="override [target] api_version")
    c.add_argument("--writes", action="store_true", help="read the [writes] profile_a too")
    c.add_argument("--endpoint", action="append", choices=["get_counter", "get"], help="read only this endpoint")
    c.add_argument("--max-rps", type=_positive(float), help="request rate limit")  # type: ignore[arg-type]
    c.add_argument("--request-timeout", type=_positive(float), help="seconds per request")  # type: ignore[arg-type]
    sub.add_parser("run", help="the suite: pytest contract_tests [pytest options]", add_help=False)
    sub.add_parser("serve", help="the reference endpoint, standalone (serve --help)", add_help=False)
    f = sub.add_parser("faults", help="the reference endpoint's fault catalogue")
    f.add_argument("--clause", help="only the faults of this clause (e.g. D2)")
    return ap


PASS_THROUGH = ("run", "serve")  # their arguments belong to pytest and to the reference endpoint


def main(argv: list[str] | None = None) -> int:
    """The command's entry point: the subcommand's exit status."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        if args and args[0] in PASS_THROUGH:
            return run(args[1:]) if args[0] == "run" else serve(args[1:])
        ns = parser().parse_args(args)
        if ns.command == "faults":
            return faults(ns.clause)
        if ns.command == "check":
            return check(ns)
        from .init import init

        return init(ns)
    except SuiteInputError as err:
        fail(err)


if __name__ == "__main__":
    sys.exit(main())
