"""Serve the reference endpoint standalone and print the target file that describes it.

    python -m altcraft_contract.reference --port 8080 [--api-version v72] [--fault NAME]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys

from . import catalogue, server, variants


def print_lines(lines: list[str]) -> int:
    """Print ``lines``; a reader that stops early (``| head``) ends the listing quietly, not with a traceback."""
    try:
        for line in lines:
            print(line)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def main(argv: list[str] | None = None, prog: str = "python -m altcraft_contract.reference") -> int:
    ap = argparse.ArgumentParser(prog=prog, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--api-version", choices=["v72", "v74"], default="v74")
    ap.add_argument("--fault", default="none", help="a fault from the catalogue (see --list-faults)")
    ap.add_argument("--variant", default="strict", choices=sorted(variants.VARIANTS),
                    help="a conformance variant (differs only where the contract is free)")
    ap.add_argument("--list-faults", action="store_true", help="print the fault catalogue and exit")
    args = ap.parse_args(argv)
    if args.list_faults:
        return print_lines(catalogue.listing())
    token = os.environ.get(server.TOKEN_ENV)
    if not token:
        token = secrets.token_hex(16)
        print(f"# no {server.TOKEN_ENV} in the environment; this server accepts:", file=sys.stderr)
        # A comment, so that output saved whole (stdout and stderr) is still a valid target file.
        print(f"#   export {server.TOKEN_ENV}={token}", file=sys.stderr)
    try:
        app = server.make_app(args.api_version, args.fault, variants.VARIANTS[args.variant], frozenset({token}))
    except KeyError as exc:
        print(f"altcraft-reference: {exc.args[0]}", file=sys.stderr)
        return 2
    srv = server.LoopbackServer(app, port=args.port, host=args.host)
    print(f"# target file for this server (save it, then: pytest contract_tests --target FILE)\n"
          f"{server.target_toml(server.target_for(srv.base_url, args.api_version, variants.VARIANTS[args.variant]))}",
          flush=True)
    try:
        srv.start()._thread.join()
    except KeyboardInterrupt:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
