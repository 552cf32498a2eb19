"""Assembling a run: the target (a file or the embedded endpoint), its token, client and Session."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from typing import Any

from .. import endpoints
from ..contract.calls import Call, Expect
from ..contract.target import Target, base_fields, load_target, resolve_token
from ..errors import SuiteInputError, TargetUnreachable
from ..reference import server, variants
from ..wire.client import Client
from ..wire.gate import DEFAULT_MAX_ANSWER_BYTES, Gate, requests_session
from ..wire.problems import TransportProblem
from .preflight import check as preflight_check
from .session import Session, transport_problem


@dataclass
class Run:
    session: Session
    embedded: str | None = None  # "loopback" or "inprocess" for the reference endpoint
    fault: str = "none"
    variant: str = "strict"
    app: Any = None  # the reference WSGI app when it runs in-process (tools call it directly)
    reference: Any = None  # the embedded reference app, however it is served (tests read its store)
    # Items that drive their own tool: what stopped them (("transport" | "not run", text)), by node id.
    external_problems: dict[str, tuple[str, str]] = field(default_factory=dict)
    preflight: dict[str, Any] | None = None  # what the preflight sent and saw (preflight.Preflight.as_dict)
    _closers: list[Any] = field(default_factory=list)
    _requests: Any = None

    def requests_session(self) -> Any:
        """A ``requests`` session for tools (schemathesis) whose every request passes the gate."""
        if self._requests is None:
            self._requests = requests_session(self.session.client.gate)
            self._closers.append(self._requests.close)
        return self._requests

    def close(self) -> None:
        for c in reversed(self._closers):
            c()
        self._closers.clear()


def _embedded(api_version: str | None, transport: str, fault: str, variant: str,
              latency_ms: float = 0.0) -> tuple[Target, Any, Client, list[Any]]:
    if variant not in variants.VARIANTS:
        raise SuiteInputError(f"unknown --reference-variant {variant!r}",
                              f"use one of {', '.join(variants.VARIANTS)}")
    style = variants.VARIANTS[variant]
    # The canary test sets the token variable; otherwise the endpoint gets a fresh random token.
    token = os.environ.get(server.TOKEN_ENV) or secrets.token_hex(16)
    try:
        app = server.make_app(api_version or "v74", fault, style, frozenset({token}), latency_ms=latency_ms)
    except KeyError as exc:
        raise SuiteInputError(str(exc.args[0]), "see `python -m altcraft_contract.reference --list-faults`") from None
    if transport == "inprocess":
        target = server.target_for(server.INPROCESS_URL, app.api_version, style)
        client = Client(target.base_url, token, target.token_env, transport=server.inprocess_transport(app))
        return target, app, client, [client.close]
    srv = server.LoopbackServer(app).start()
    target = server.target_for(srv.base_url, app.api_version, style)
    client = Client(target.base_url, token, target.token_env)
    return target, app, client, [srv.stop, client.close]


def _gate(target: Target, max_rps: float | None, timeout: float | None, budget: int | None,
          max_answer_bytes: int | None, shared_dir: str | None) -> Gate:
    """The safety settings of the run: an option wins over the target file."""
    return Gate(max_rps=max_rps if max_rps is not None else target.max_rps,
                budget=budget if budget is not None else target.request_budget,
                timeout=timeout if timeout is not None else target.timeout,
                max_answer_bytes=max_answer_bytes or target.max_answer_bytes or DEFAULT_MAX_ANSWER_BYTES,
                shared_dir=shared_dir)


def build_run(*, target_path: str | None = None, base_url: str | None = None, api_version: str | None = None,
              transport: str = "loopback", fault: str = "none", variant: str = "strict",
              hypothesis_profile: str = "default", seed: int = 0, check_reachable: bool = True,
              max_rps: float | None = None, timeout: float | None = None, request_budget: int | None = None,
              max_answer_bytes: int | None = None, shared_dir: str | None = None, concurrency: int = 1,
              reference_latency_ms: float = 0.0, writes: bool = False, dry_run: bool = False,
              selected: tuple[str, ...] | None = None, preflight: bool = False) -> Run:
    """Everything a run needs; a problem with the suite's input raises a one-line SuiteInputError.
    ``preflight`` reads every named profile first (run/preflight.py) and stops on a refused token or
    an unknown profile; ``selected`` names the endpoints the run checks (default: all)."""
    if target_path is None:
        target, app, client, closers = _embedded(api_version, transport, fault, variant, reference_latency_ms)
        run = Run(Session(target, client, hypothesis_profile=hypothesis_profile, seed=seed), transport, fault, variant,
                  app if transport == "inprocess" else None, app)
    else:
        if fault != "none":
            raise SuiteInputError("--fault only applies to the embedded reference endpoint",
                                  "drop --fault, or drop --target")
        target = load_target(target_path).with_overrides(base_url, api_version)
        token = resolve_token(target)
        client = Client(target.base_url, token, target.token_env, timeout=target.timeout)
        closers = [client.close]
        run = Run(Session(target, client, hypothesis_profile=hypothesis_profile, seed=seed))
    run._closers.extend([*closers, run.session.close])
    # Writes need both the target's [writes] table and --writes (a dry run plans them, sends none).
    if dry_run and not writes:
        run.close()
        raise SuiteInputError("--dry-run plans the writes that --writes would send", "add --writes")
    if writes and run.session.target.writes is None:
        run.close()
        raise SuiteInputError(f"--writes asks for the writes, but {run.session.target.source} has no [writes] table",
                              "add one (see targets/example.toml), or drop --writes")
    run.session.target = replace(run.session.target, allow_writes=writes)
    run.session.dry_run = dry_run
    endpoints.use_paths(dict(run.session.target.paths))
    if shared_dir is None:  # a library caller: a private directory of the run's own, removed at close
        shared_dir = tempfile.mkdtemp(prefix="altcraft-contract-")
        run._closers.insert(0, lambda path=shared_dir: shutil.rmtree(path, ignore_errors=True))
    client.gate = _gate(target, max_rps, timeout, request_budget, max_answer_bytes, shared_dir)
    client.set_timeout(client.gate.timeout)
    run.session.workdir = shared_dir
    run.session.concurrency = max(1, concurrency)
    if selected is not None:
        run.session.endpoints = selected
    try:
        if preflight:  # its first read is the reachability probe
            run.preflight = preflight_check(client, run.session.target, run.session.endpoints).as_dict()
        elif check_reachable:
            run.session.client.send(Call.of(base_fields(target)), Expect.anything("T1"))
            problem = transport_problem(run.session.client.last) if run.session.client.last else None
            if problem is not None:
                raise problem
    except TransportProblem as exc:
        run.close()
        raise TargetUnreachable(f"the target {target.base_url} is unreachable ({exc})",
                                "check base_url and that the server is up (or pass --base-url)") from None
    except BaseException:  # a bad input, or a Ctrl-C during the preflight: nothing is left running
        run.close()
        raise
    return run
