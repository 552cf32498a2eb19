"""Benchmark: suite wall time per profile, against a far target, peak memory against hostile
answers, client overhead, faults caught, and plain schemathesis.

    python bench/benchmark.py [--requests 2000] [--st-examples 50] [--skip-st] [--parts times,far,memory,client,faults]

Runs against the embedded reference endpoint on loopback and prints one Markdown table per part.
Not a test: the figures depend on the machine; the README quotes one run's.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from altcraft_contract.checks.all import run_checks  # noqa: E402
from altcraft_contract.contract.calls import Call, Expect  # noqa: E402
from altcraft_contract.frontends.mutation import score_fault  # noqa: E402
from altcraft_contract.reference import catalogue, server  # noqa: E402
from altcraft_contract.wire.client import Client  # noqa: E402

TOKEN = "bench-token-0000"
# Measure as users run: with bytecode caching (some shells set PYTHONDONTWRITEBYTECODE, which makes
# every pytest start re-parse and re-rewrite its plugins).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
EXCLUDED = "negative_data_rejection,positive_data_acceptance,missing_required_header,unsupported_method,ignored_auth"


def pytest_line(stdout: str) -> str:
    """pytest's own counts line ("140 passed, 6 skipped in 3.55s"); the suite's verdict follows it."""
    lines = stdout.strip().splitlines()
    return next((ln.strip("= ") for ln in reversed(lines) if re.search(r" in [0-9.]+s\b", ln)), lines[-1] if lines else "")


def suite_times(profiles: list[str]) -> list[tuple[str, float, int, str]]:
    rows = []
    subprocess.run([sys.executable, "-m", "pytest", "contract_tests", "-q", "--co", "-p", "no:cacheprovider"],
                   cwd=ROOT, capture_output=True, env=ENV, check=False)  # warm the bytecode caches
    # Both endpoints (the default), and quick for each endpoint alone (--endpoint).
    runs = [(p, []) for p in profiles] + [(f"quick, --endpoint {e}", ["--endpoint", e])
                                         for e in ("get_counter", "get") if "quick" in profiles]
    # The writes (opt-in): with everything else, and alone, in each profile.
    runs += [("quick, --writes", ["--writes"])] if "quick" in profiles else []
    runs += [(f"{p}, the writes alone", ["--writes", "contract_tests/test_writes.py"]) for p in profiles]
    for label, args in runs:
        profile = label.split(",")[0]
        tests = next((a for a in args if a.startswith("contract_tests/")), "contract_tests")
        extra = [a for a in args if a != tests]
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "pytest", tests, "-q", "-p", "no:cacheprovider",
                                   "--hypothesis-profile", profile, "--reports-dir", out, *extra],
                                  cwd=ROOT, capture_output=True, text=True, check=False, env=ENV)
            secs = time.perf_counter() - started
            results = json.loads((Path(out) / "results.json").read_text())
        rows.append((label, secs, results["requests"], pytest_line(proc.stdout)))
    return rows


def _pytest_run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str, int]:
    """Seconds, requests, pytest's last line and peak RSS (KiB) of one suite run in a child process."""
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "pytest", "contract_tests", "-q", "-p", "no:cacheprovider",
                                 "--reports-dir", out, *args], cwd=ROOT, env={**ENV, **(env or {})},
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        stdout = proc.stdout.read() if proc.stdout else ""
        _, _, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - started
        requests = 0
        results = Path(out) / "results.json"
        if results.is_file():
            requests = json.loads(results.read_text()).get("requests", 0)
    return secs, requests, pytest_line(stdout), usage.ru_maxrss


def far_target(latency_ms: float, examples: int) -> list[tuple[str, float, int, str]]:
    """quick with and without a round trip of ``latency_ms``, and a plain `st run` against the far one."""
    rows = []
    for ms in (0.0, latency_ms):
        secs, reqs, last, _ = _pytest_run(["--hypothesis-profile", "quick", "--reference-latency-ms", str(ms)])
        rows.append((f"suite, quick, {ms:g} ms away", secs, reqs, last))
    app = server.make_app(tokens=frozenset({TOKEN}), latency_ms=latency_ms)
    with server.LoopbackServer(app) as srv:
        cmd = [str(Path(sys.executable).parent / "st"), "run", str(ROOT / "schemas" / "openapi.json"),
               "--url", srv.base_url, "-n", str(examples), "--seed", "0", "-H", f"Authorization: Bearer {TOKEN}"]
        started = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=ENV, cwd=tempfile.gettempdir(), check=False)
        rows.append((f"st run -n {examples}, {latency_ms:g} ms away", time.perf_counter() - started, 0,
                     f"exit {proc.returncode} (fails the correct endpoint: stops early)"))
        env = {**ENV, "SCHEMATHESIS_HOOKS": "altcraft_contract.st_checks", "ALTCRAFT_ERROR_HTTP_STATUS": "200"}
        started = time.perf_counter()
        proc = subprocess.run([*cmd, "--checks", "all", "--exclude-checks", EXCLUDED], capture_output=True,
                              text=True, env=env, cwd=tempfile.gettempdir(), check=False)
        rows.append((f"st run -n {examples} + our checks, {latency_ms:g} ms away", time.perf_counter() - started, 0,
                     f"exit {proc.returncode}"))
    return rows


def _hostile_app(size: int | None) -> Any:
    """A target answering every request with ``size`` bytes of JSON-looking text (None: never ends)."""
    def app(environ: dict[str, Any], start_response: Any) -> Any:
        environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        start_response("200 OK", [("Content-Type", "application/json")])

        def body() -> Any:
            yield b'{"error": 0, "error_text": "'
            sent, chunk = 0, b"x" * 65536
            while size is None or sent < size:
                yield chunk
                sent += len(chunk)
        return body()
    return app


def hostile_memory() -> list[tuple[str, float, str, int]]:
    """Peak memory and time of a quick run against a 50 MB answer and an endless one."""
    rows = []
    for label, size in (("50 MB answer", 50 * 1024 * 1024), ("endless answer", None)):
        with server.LoopbackServer(_hostile_app(size)) as srv, tempfile.TemporaryDirectory() as tmp:  # type: ignore[arg-type]
            target = Path(tmp) / "t.toml"
            target.write_text(server.target_toml(server.target_for(srv.base_url, "v74")), encoding="utf-8")
            secs, _, last, rss = _pytest_run(["--hypothesis-profile", "quick", "--target", str(target)],
                                             env={"ALTCRAFT_API_TOKEN": TOKEN})
        rows.append((label, secs, last, rss))
    return rows


def _best_rps(loop: Any, n: int, rounds: int = 3) -> float:
    """Requests per second of ``loop``: warmed up, best of ``rounds`` (noise only ever slows a loop)."""
    loop(min(100, n))
    best = 0.0
    for _ in range(rounds):
        started = time.perf_counter()
        loop(n)
        best = max(best, n / (time.perf_counter() - started))
    return best


def client_overhead(n: int) -> list[tuple[str, float]]:
    app = server.make_app(tokens=frozenset({TOKEN}))
    with server.LoopbackServer(app) as srv:
        fields = {"rel_id": 3, "matching": "profile_id", "profile_id": "5c910f6bc484d023b1309bee"}
        target = server.target_for(srv.base_url, "v74")
        body = json.dumps({"token": TOKEN, **fields}).encode()
        bare = httpx.Client(base_url=srv.base_url)
        client = Client(srv.base_url, TOKEN, "ALTCRAFT_API_TOKEN")
        call, expect = Call.of(fields), Expect.success("M2", fields["profile_id"])

        def bare_loop(k: int) -> None:
            for _ in range(k):
                bare.post("/api/v1.1/relations/get_counter", content=body,
                          headers={"Content-Type": "application/json"}).json()

        def client_loop(k: int) -> None:
            for _ in range(k):
                client.send(call, expect)

        def checked_loop(k: int) -> None:
            for _ in range(k):
                run_checks(client.send(call, expect), target)

        rows = [("bare httpx loop", _best_rps(bare_loop, n)),
                ("suite client (encode, redact, parse)", _best_rps(client_loop, n)),
                ("suite client + every per-answer check", _best_rps(checked_loop, n))]
        bare.close()
        client.close()
    return rows


def st_run(fault: str, examples: int, hooks: bool) -> tuple[bool, float]:
    app = server.make_app(fault=fault, tokens=frozenset({TOKEN}))
    with server.LoopbackServer(app) as srv:
        cmd = [str(Path(sys.executable).parent / "st"), "run", str(ROOT / "schemas" / "openapi.json"),
               "--url", srv.base_url, "-n", str(examples), "--seed", "0", "-H", f"Authorization: Bearer {TOKEN}"]
        env = dict(ENV)
        if hooks:
            cmd += ["--checks", "all", "--exclude-checks", EXCLUDED]
            env["SCHEMATHESIS_HOOKS"] = "altcraft_contract.st_checks"
            env["ALTCRAFT_ERROR_HTTP_STATUS"] = "200"
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as fresh:  # no crash cache from an earlier run to replay
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=fresh, check=False)
        return proc.returncode != 0, time.perf_counter() - started


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--st-examples", type=int, default=50)
    ap.add_argument("--profiles", default="quick,default,thorough")
    ap.add_argument("--skip-st", action="store_true", help="leave out the schemathesis columns")
    ap.add_argument("--latency-ms", type=float, default=40.0, help="the far target's round trip")
    ap.add_argument("--parts", default="times,far,memory,client,faults")
    ap.add_argument("--faults", default="", help="comma-separated faults for the fault table (default: every one)")
    args = ap.parse_args()
    parts = set(args.parts.split(","))

    _tables(parts, args)
    if "faults" not in parts:
        return 0
    return _fault_table(args)


def _tables(parts: set[str], args: argparse.Namespace) -> None:
    if "times" in parts:
        print("## Suite wall time (embedded endpoint on loopback, whole suite incl. the schemathesis module)\n")
        print("| profile | seconds | requests | result |\n|---|---:|---:|---|")
        for profile, secs, reqs, result in suite_times(args.profiles.split(",")):
            print(f"| {profile} | {secs:.1f} | {reqs} | {result} |")

    if "far" in parts:
        print(f"\n## A far target ({args.latency_ms:g} ms per round trip, embedded endpoint delayed)\n")
        print("| run | seconds | requests | result |\n|---|---:|---:|---|")
        for label, secs, reqs, result in far_target(args.latency_ms, args.st_examples):
            print(f"| {label} | {secs:.1f} | {reqs or '-'} | {result} |")

    if "memory" in parts:
        print("\n## Hostile answers: peak memory of the suite process (quick)\n")
        print("| target answers | seconds | peak RSS (MB) | result |\n|---|---:|---:|---|")
        for label, secs, result, rss in hostile_memory():
            print(f"| {label} | {secs:.1f} | {rss / 1024:.0f} | {result} |")

    if "client" in parts:
        print(f"\n## Client overhead ({args.requests} requests each)\n")
        print("| loop | requests/s | ratio to bare |\n|---|---:|---:|")
        rows = client_overhead(args.requests)
        for name, rps in rows:
            print(f"| {name} | {rps:.0f} | {rows[0][1] / rps:.2f} |")


def _fault_table(args: argparse.Namespace) -> int:

    print("\n## Faults: this suite (quick profile, stops at the first catch) vs plain schemathesis\n")
    head = "| fault | clause | caught | requests | seconds |"
    if not args.skip_st:
        head += f" st run -n {args.st_examples} | s | st run + our checks | s |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    st_plain = st_hooks = 0
    names = ["none", *(args.faults.split(",") if args.faults else sorted(catalogue.catalogue()))]
    caught_total = 0
    for name in names:
        if name == "none":
            line = "| (correct endpoint) | - | - | - | - |"
        else:
            r = score_fault(name, full=False)
            caught_total += r.caught
            line = f"| {name} | {r.clause} | {'yes' if r.caught else 'NO'} | {r.requests} | {r.seconds:.2f} |"
        if not args.skip_st and name != "none" and catalogue.get(name).clause[0] in "WS":
            line += " - | - | - | - |"  # schemathesis is never given the writes (S3): nothing to compare
        elif not args.skip_st:
            p_caught, p_secs = st_run(name, args.st_examples, hooks=False)
            h_caught, h_secs = st_run(name, args.st_examples, hooks=True)
            if name != "none":
                st_plain += p_caught
                st_hooks += h_caught
            label = ("FAILS (false positive)" if p_caught else "passes") if name == "none" else ("yes" if p_caught else "no")
            hlabel = ("FAILS (false positive)" if h_caught else "passes") if name == "none" else ("yes" if h_caught else "no")
            line += f" {label} | {p_secs:.1f} | {hlabel} | {h_secs:.1f} |"
        print(line)
    n = len(names) - 1
    print(f"\nThis suite: {caught_total}/{n} faults caught.")
    if not args.skip_st:
        print(f"Plain `st run -n {args.st_examples}`: {st_plain}/{n} (but it also fails the correct endpoint);"
              f" with our checks: {st_hooks}/{n}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
