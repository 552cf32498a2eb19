"""The example GitLab CI job (examples/gitlab-ci.yml) runs as shipped: its YAML parses into one job of
valid GitLab keys, its rules, cache and artifacts are what its header says, the token reaches the
suite's command only, and its scripts, run as a GitLab runner would (before_script and script in one
`bash -eo pipefail`, after_script in another, the cache a folder pulled in before and pushed after
when the policy says so), record a baseline on the first night, keep it, compare with it on the
next and leave the reports, against the reference endpoint."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from altcraft_contract.reference import server, variants
from tests.suite import ROOT

JOB_FILE = ROOT / "examples" / "gitlab-ci.yml"
TOKEN = "gitlab-token-0123456789"
INSTALL = "python -m venv .venv && .venv/bin/pip install -q -e ."
QUICK = {"SUITE_ARGS": "--hypothesis-profile quick -k documented"}
JOB_KEYS = frozenset({  # https://docs.gitlab.com/ee/ci/yaml/ (job keywords)
    "after_script", "allow_failure", "artifacts", "before_script", "cache", "coverage", "dast_configuration",
    "dependencies", "environment", "extends", "hooks", "id_tokens", "identity", "image", "inherit", "interruptible",
    "manual_confirmation", "needs", "pages", "parallel", "release", "resource_group", "retry", "rules", "run",
    "script", "secrets", "services", "stage", "tags", "timeout", "trigger", "variables", "when"})


def _job() -> dict[str, Any]:
    doc = yaml.safe_load(JOB_FILE.read_text(encoding="utf-8"))
    assert list(doc) == ["staging-contract"]  # one job, nothing pipeline-wide: safe to `include:`
    return doc["staging-contract"]  # type: ignore[no-any-return]


def _holds(expr: str, env: dict[str, str]) -> bool:
    """A `rules:if` expression of the kind this job uses: comparisons joined by && and ||."""
    def one(term: str) -> bool:
        m = re.fullmatch(r"\s*\$(\w+)\s*(==|!=|=~|!~)\s*(\$\w+|\"[^\"]*\"|'[^']*'|/.*/)\s*", term)
        assert m, f"an expression this test does not read: {term!r}"
        left, op, right = env.get(m[1]), m[2], m[3]
        if op in ("=~", "!~"):
            return (left is not None and re.search(right[1:-1], left) is not None) == (op == "=~")
        return (left == (env.get(right[1:]) if right.startswith("$") else right[1:-1])) == (op == "==")
    return any(all(one(t) for t in alt.split("&&")) for alt in expr.split("||"))


def _rule(job: dict[str, Any], env: dict[str, str]) -> dict[str, str] | None:
    """The variables of the first rule that holds (GitLab's choice); None: the pipeline has no such job."""
    for rule in job["rules"]:
        if "if" not in rule or _holds(rule["if"], env):
            return None if rule.get("when") == "never" else dict(rule.get("variables", {}))
    return None


def _predefined(source: str, branch: str) -> dict[str, str]:
    return {"CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": source, "CI_COMMIT_BRANCH": branch,
            "CI_DEFAULT_BRANCH": "main"}


def _shell(items: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The items as GitLab's bash runs them: one shell, each item traced (`$ ` and its first line) and run."""
    text = "".join(f"printf '%s\\n' {shlex.quote('$ ' + item.splitlines()[0])}\n{item}\n" for item in items)
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", text], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)


def run_job(job: dict[str, Any], ws: Path, cache: Path, ci: dict[str, str], pipeline: dict[str, str],
            source: str = "schedule", branch: str = "main", cwd: Path = ROOT) -> dict[str, Any]:
    """One job on a fresh checkout: `ws` holds the job's files (cwd=ROOT: its paths point there, this
    checkout's .venv runs the suite); `cache` holds one folder per cache key."""
    predefined = _predefined(source, branch)
    rule = _rule(job, predefined)
    assert rule is not None, f"no job for a {source} pipeline on {branch}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALTCRAFT_", "CI_"))}
    # GitLab's precedence, lowest first: the job's variables, its rule's, the project's CI/CD variables, the pipeline's
    env.update({**predefined, **job["variables"], **rule, **ci, **pipeline})
    if cwd == ROOT:  # the job's own files go to the workspace, never into this checkout
        env.update({k: str(ws / job["variables"][k]) for k in ("TARGET_FILE", "BASELINE", "REPORTS_DIR")})
    policy = re.sub(r"\$(\w+)", lambda m: env[m[1]], job["cache"]["policy"])
    slot = cache / job["cache"]["key"]
    for path in job["cache"]["paths"]:  # pulled before the scripts (every policy here pulls)
        if (slot / path).exists():
            shutil.copytree(slot / path, ws / path, dirs_exist_ok=True)
    installs = [item for item in job["before_script"] if "pip install" in item]
    assert installs == [INSTALL]  # the one line this test skips: this checkout's .venv is installed
    main = _shell([i for i in job["before_script"] if i != INSTALL] + job["script"], env, cwd)
    after = _shell(job["after_script"], env, cwd)  # its own shell: nothing the scripts set or exported
    if policy in ("push", "pull-push"):  # `cache:when: always`: whatever the status
        for path in job["cache"]["paths"]:
            if (ws / path).exists():
                shutil.rmtree(slot / path, ignore_errors=True)
                shutil.copytree(ws / path, slot / path)
    log = main.stdout + main.stderr + after.stdout + after.stderr
    return {"status": main.returncode, "after": after.returncode, "log": log, "policy": policy,
            "artifacts": sorted(p for a in job["artifacts"]["paths"] for p in (ws / a).rglob("*") if p.is_file())}


def test_the_job_parses_into_valid_gitlab_keys_as_described() -> None:
    job = _job()
    assert set(job) <= JOB_KEYS
    assert (job["image"], job["timeout"], job["resource_group"]) == ("python:3.11", "30m", "staging-contract")
    policies = {(source, branch): (_rule(job, _predefined(source, branch)) or {}).get("BASELINE_CACHE_POLICY")
                for source in ("schedule", "web", "api", "trigger", "push", "merge_request_event")
                for branch in ("main", "feature")}
    assert policies == {(s, b): None if s in ("push", "merge_request_event") else "pull-push" if b == "main" else "pull"
                        for s, b in policies}
    var = job["variables"]
    assert var["SUITE_ARGS"] == "--hypothesis-profile thorough --max-rps 5 -n 2"
    assert (var["RECORD_BASELINE"], var["WRITES"], var["BASELINE_CACHE_POLICY"]) == ("false", "false", "pull")
    kept = os.path.dirname(var["BASELINE"]) + "/"
    assert job["cache"] == {"key": "contract-baseline-staging", "paths": [kept], "policy": "$BASELINE_CACHE_POLICY",
                            "when": "always"}
    assert job["artifacts"] == {"name": "contract-report", "when": "always", "expire_in": "90 days",
                                "paths": [var["REPORTS_DIR"] + "/", kept],
                                "reports": {"junit": var["REPORTS_DIR"] + "/junit.xml"}}
    assert INSTALL in job["before_script"]
    # The token: read once, by the suite's command, as the variable its target file names; never shown.
    items = job["before_script"] + job["script"] + job["after_script"]
    lines = [ln.strip() for item in items for ln in item.splitlines() if "ALTCRAFT_STAGING_TOKEN" in ln]
    assert lines == ['ALTCRAFT_API_TOKEN="$ALTCRAFT_STAGING_TOKEN" .venv/bin/pytest contract_tests "$@"']
    assert not [i for i in items if re.search(r"\bexport\b|\bset -x|\benv\b|printenv", i)]
    assert "relations/get" in JOB_FILE.read_text(encoding="utf-8")  # the header covers the family


def test_the_job_records_a_baseline_then_compares_with_it(tmp_path: Path) -> None:
    job, cache = _job(), tmp_path / "cache"
    nights = []
    for n, variant in enumerate(["strict", "not-found-1001"], 1):  # the second night: the platform changed
        app = server.make_app("v74", "none", variants.VARIANTS[variant], frozenset({TOKEN}))
        with server.LoopbackServer(app) as srv:
            ci = {"ALTCRAFT_STAGING_TOKEN": TOKEN}
            if n == 1:  # a Variable-type CI/CD variable: the file's text
                ci["ALTCRAFT_TARGET_TOML"] = server.target_toml(server.target_for(srv.base_url, "v74"))
            else:  # a File-type one: GitLab writes its content to a file and passes the path; base_url overridden
                (tmp_path / "ALTCRAFT_TARGET_TOML").write_text(
                    server.target_toml(server.target_for("http://127.0.0.1:9", "v74")), encoding="utf-8")
                ci |= {"ALTCRAFT_TARGET_TOML": str(tmp_path / "ALTCRAFT_TARGET_TOML"), "ALTCRAFT_BASE_URL": srv.base_url}
            ws = tmp_path / f"night{n}"  # each night starts from a fresh checkout
            ws.mkdir()
            nights.append(run_job(job, ws, cache, ci, QUICK))
    first, second = nights
    kept = cache / "contract-baseline-staging" / "baselines" / "staging.json"
    assert first["status"] == 0 and first["after"] == 0, first["log"]
    assert "recording the baseline" in first["log"] and "altcraft-contract: PASS (exit 0)" in first["log"]
    assert first["policy"] == "pull-push" and [p.relative_to(cache) for p in cache.rglob("*") if p.is_file()] == [
        kept.relative_to(cache)]
    assert {"night1/reports/junit.xml", "night1/reports/results.json", "night1/baselines/staging.json"} <= {
        str(p.relative_to(tmp_path)) for p in first["artifacts"]}
    recorded = kept.read_bytes()
    assert second["status"] == 10 and second["after"] == 0, second["log"]
    assert "comparing with the kept baseline" in second["log"] and "altcraft-contract: CHANGED (exit 10)" in second["log"]
    assert tmp_path / "night2" / "reports" / "junit.xml" in second["artifacts"]
    assert len(list(cache.rglob("*.json"))) == 1 and kept.read_bytes() == recorded  # a compare keeps the baseline
    assert TOKEN not in first["log"] + second["log"]


def test_by_hand_on_a_branch_with_the_committed_target_file(tmp_path: Path) -> None:
    """The fallback target file, the variables and the choice of baseline: the suite's command replaced
    by a stub that notes what it gets (and fails), in a checkout of its own."""
    job, cache, ws = _job(), tmp_path / "cache", tmp_path / "ws"
    (ws / "targets").mkdir(parents=True)
    shutil.copy(ROOT / "targets" / "staging.toml.example", ws / "targets")
    (ws / ".venv" / "bin").mkdir(parents=True)
    stub = ws / ".venv" / "bin" / "pytest"
    stub.write_text("#!/bin/sh\nprintf '%s\\n' \"$@\" > args.txt\nprintf '%s' \"$ALTCRAFT_API_TOKEN\" > token.txt\n"
                    "echo tampered > baselines/staging.json\nexit 1\n")
    stub.chmod(0o755)
    (cache / "contract-baseline-staging" / "baselines").mkdir(parents=True)
    (cache / "contract-baseline-staging" / "baselines" / "staging.json").write_text("{}")
    ci = {"ALTCRAFT_STAGING_TOKEN": TOKEN, "ALTCRAFT_BASE_URL": "https://staging.example.org"}
    base = ["contract_tests", *job["variables"]["SUITE_ARGS"].split(), "--target", "targets/staging.toml", "--reports-dir", "reports",
            "--base-url", "https://staging.example.org", "--writes"]
    for pipeline, tail in [({"WRITES": "true"}, ["--compare-baseline", "baselines/staging.json"]),
                           ({"WRITES": "true", "RECORD_BASELINE": "true"}, [])]:  # only the default branch records
        got = run_job(job, ws, cache, ci, pipeline, source="web", branch="feature", cwd=ws)
        assert got["status"] == 1 and got["policy"] == "pull", got["log"]
        assert (ws / "args.txt").read_text().splitlines() == base + tail
        assert (ws / "token.txt").read_text() == TOKEN and TOKEN not in got["log"]
        assert "using the committed targets/staging.toml.example" in got["log"]
        assert (ws / "targets" / "staging.toml").read_bytes() == (ROOT / "targets" / "staging.toml.example").read_bytes()
        assert got["after"] == 0 and "altcraft-contract: NO REPORT (exit ?)" in got["log"]
    assert (cache / "contract-baseline-staging" / "baselines" / "staging.json").read_text() == "{}"  # pull: never pushed
