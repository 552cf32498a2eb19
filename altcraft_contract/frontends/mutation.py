"""The mutation score: run the suite against each fault of the catalogue and against each
conformance variant; every fault must be caught by its own clause, every variant must pass (with
--writes: a correct store must pass the writes too).

``python -m altcraft_contract.mutation`` prints the table; exit status 1 if a fault is missed or a
variant fails (a false positive).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from .. import endpoints
from ..checks.failures import Status
from ..reference import catalogue, variants
from ..reference.incoming import endpoint_name
from ..run.build import build_run
from ..run.runner import Outcome, run_scenario
from ..run.scenario import Scenario
from ..scenarios.all import all_scenarios


@dataclass
class FaultResult:
    name: str
    clause: str
    caught: bool
    clauses_failed: set[str] = field(default_factory=set)
    requests: int = 0
    seconds: float = 0.0
    caught_by: str = ""

    @property
    def precise(self) -> bool:
        """Caught by its own clause, and by no clause it does not declare."""
        allowed = {self.clause, *catalogue.get(self.name).also}
        return self.caught and self.clauses_failed <= allowed


def _outcomes(fault: str, variant: str, api_version: str, profile: str, stop_on: str | None,
              writes: bool = True, keep: Callable[[Scenario], bool] | None = None,
              seen: dict[str, set[str]] | None = None) -> tuple[list[Outcome], int, float]:
    """Run the scenarios (those ``keep`` keeps) in order; ``seen`` gets, per scenario, the endpoints
    the reference took its requests for."""
    run = build_run(transport="inprocess", fault=fault, variant=variant, api_version=api_version,
                    hypothesis_profile=profile, seed=0, check_reachable=False, writes=writes)
    current: set[str] = set()
    if seen is not None:
        handle = run.reference.handle

        def watched(req: Any) -> Any:
            current.add(endpoint_name(req.path))
            return handle(req)
        run.reference.handle = watched  # the app calls self.handle: the instance's attribute wins
    started = time.perf_counter()
    outs: list[Outcome] = []
    try:
        for sc in all_scenarios():
            if keep is not None and not keep(sc):
                continue
            current.clear()
            out = run_scenario(sc, run.session)
            if seen is not None:
                seen[sc.id] = set(current)
            outs.append(out)
            if stop_on and stop_on in out.failed_clauses:
                break
        return outs, run.session.client.sent, time.perf_counter() - started
    finally:
        run.close()


@functools.cache
def touched(profile: str, writes: bool) -> dict[str, frozenset[str]]:
    """Per scenario, the endpoints the reference took its requests for, on a correct endpoint."""
    seen: dict[str, set[str]] = {}
    _outcomes("none", "strict", "v74", profile, None, writes, seen=seen)
    return {k: frozenset(v) for k, v in seen.items()}


def focused_on(fault: str, profile: str, writes: bool) -> Callable[[Scenario], bool]:
    """The scenarios that can meet ``fault``: the reference applies a fault only to requests for its
    endpoints, and every scenario runs under its own fixed seed, so a scenario that sends none of
    them gets the correct endpoint's answers and passes (the strict variant's test). A fault of the
    writes may change the store, which later scenarios read: from the first scenario that meets
    it, every one runs. Precision is then judged on every scenario that could fail."""
    hit = set(catalogue.get(fault).endpoints)
    stateful = bool(hit & set(endpoints.WRITES))
    seen = touched(profile, writes)
    met = False

    def keep(sc: Scenario) -> bool:
        nonlocal met
        meets = bool(seen.get(sc.id, frozenset()) & hit)
        met = met or (meets and stateful)
        return meets or met
    return keep


def score_fault(name: str, profile: str = "quick", full: bool = True, focused: bool = False) -> FaultResult:
    """Run the suite against one fault; ``full`` runs every scenario to prove precision (``focused``:
    every scenario that can meet the fault, see ``focused_on``; requests and seconds then count
    those only)."""
    f = catalogue.get(name)
    api = "v74"
    # A fault of the writes is scored with --writes; a fault of a read, as a read-only run meets it
    # (with --writes, the checks after each write would see a broken read again, under S1).
    writes = f.clause[0] in "WS" or bool(set(f.endpoints) & set(endpoints.WRITES))
    keep = focused_on(name, profile, writes) if focused else None
    outs, sent, secs = _outcomes(name, "strict", api, profile, None if full else f.clause, writes, keep)
    failed = set().union(*(o.failed_clauses for o in outs)) if outs else set()
    first = next((i for i, o in enumerate(outs) if f.clause in o.failed_clauses), None)
    if first is None:
        return FaultResult(name, f.clause, False, failed, sent, secs)
    # Requests and seconds until the fault was caught: every scenario up to the one that caught it.
    upto = outs[: first + 1]
    return FaultResult(name, f.clause, True, failed, sum(o.requests for o in upto), sum(o.seconds for o in upto),
                       outs[first].scenario.id)


def check_variant(name: str, api_version: str = "v74", profile: str = "quick") -> list[Outcome]:
    """The outcomes that failed against a conformance variant (each one a false positive)."""
    outs, _, _ = _outcomes("none", name, api_version, profile, None)
    return [o for o in outs if o.status is Status.FAILED]


def _false_positives(name: str, profile: str) -> list[str]:
    """check_variant's failed scenario ids (plain strings: they cross a process boundary)."""
    return [o.scenario.id for o in check_variant(name, profile=profile)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m altcraft_contract.mutation", description=__doc__)
    ap.add_argument("--profile", default="quick", help="Hypothesis profile (quick, default, thorough)")
    ap.add_argument("--fault", action="append", help="score only these faults")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per CPU)")
    args = ap.parse_args(argv)
    names = args.fault or sorted(catalogue.catalogue())
    # Each fault and variant is a run of its own against its own in-process endpoint: side by side.
    with ProcessPoolExecutor(max(1, args.jobs)) as pool:
        results = list(pool.map(score_fault, names, [args.profile] * len(names)))
        variant_names = [] if args.fault else list(variants.VARIANTS)
        variant_fails = list(pool.map(_false_positives, variant_names, [args.profile] * len(variant_names)))
    print(f"{'fault':<40} {'clause':<8} {'caught':<7} {'precise':<8} {'requests':>8} {'seconds':>8}  caught by"
          "   (requests and seconds until caught)")
    for r in results:
        print(f"{r.name:<40} {r.clause:<8} {'yes' if r.caught else 'NO':<7} {'yes' if r.precise else 'no':<8} "
              f"{r.requests:>8} {r.seconds:>8.2f}  {r.caught_by}")
    fams: dict[str, list[FaultResult]] = {}
    for r in results:
        fams.setdefault(r.clause[0], []).append(r)
    print("per family: " + ", ".join(f"{k} {sum(r.caught for r in v)}/{len(v)}" for k, v in sorted(fams.items())))
    caught = sum(r.caught for r in results)
    print(f"mutation score: {caught}/{len(results)} faults caught")
    bad_variants = dict(zip(variant_names, variant_fails, strict=True))
    for v, fails in bad_variants.items():
        print(f"variant {v:<20} {'FALSE POSITIVE: ' + ', '.join(fails) if fails else 'passes'}")
    ok = caught == len(results) and not any(bad_variants.values())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
