"""The example CI job (.github/workflows/staging-contract.yml) runs as shipped: its YAML parses, the
target file it falls back to is committed and not git-ignored, and its steps, run as GitHub would
(their `run` scripts under bash, the actions simulated), record a baseline on the first night, keep
it, compare with it on the next and upload the reports, against the reference endpoint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

from altcraft_contract.contract.target import load_target
from altcraft_contract.reference import server, variants
from tests.suite import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "staging-contract.yml"
TOKEN = "workflow-token-0123456789"


def _job() -> dict[str, Any]:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return doc["jobs"]["contract"]  # type: ignore[no-any-return]


def test_the_workflow_parses_and_its_fallback_target_is_committed() -> None:
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert set(doc[True]) == {"schedule", "workflow_dispatch"}  # YAML 1.1 reads the key `on` as true
    steps = _job()["steps"]
    assert [s.get("uses", "").split("@")[0] for s in steps if "uses" in s] == [
        "actions/checkout", "actions/setup-python", "actions/cache/restore", "actions/cache/save",
        "actions/upload-artifact", "actions/upload-artifact"]
    # Expressions reach the scripts through env only (no ${{ }} inside a script: no injection).
    assert not [s["name"] for s in steps if "${{" in s.get("run", "")]
    fallback = "targets/staging.toml.example"
    assert fallback in next(s["run"] for s in steps if s.get("name") == "Target file")
    ignored = subprocess.run(["git", "check-ignore", "-q", fallback], cwd=ROOT, check=False)
    assert ignored.returncode == 1 and load_target(ROOT / fallback).token_env == "ALTCRAFT_API_TOKEN"
    assert "relations/get" in WORKFLOW.read_text(encoding="utf-8")  # the comment covers the family


class Night:
    """One run of the job as GitHub would run it: its `run` steps under bash, its actions simulated
    (the cache as a folder, artifacts as a list of what was uploaded)."""

    def __init__(self, tmp: Path, cache: Path, variables: dict[str, str], run_id: int) -> None:
        self.tmp, self.cache, self.run_id = tmp, cache, run_id
        self.expr = {"vars.ALTCRAFT_TARGET_TOML": variables.get("ALTCRAFT_TARGET_TOML", ""),
                     "vars.ALTCRAFT_BASE_URL": "", "secrets.ALTCRAFT_STAGING_TOKEN": TOKEN,
                     "inputs.record_baseline": "", "inputs.writes": "", "github.run_id": str(run_id),
                     "github.event_name == 'schedule' || github.ref_name == github.event.repository.default_branch":
                         "true"}
        self.outputs: dict[str, dict[str, str]] = {}
        self.uploaded: dict[str, Path] = {}
        self.status: dict[str, int] = {}

    def _sub(self, text: str, env: dict[str, str]) -> str:
        def one(m: re.Match[str]) -> str:
            e = m.group(1).strip()
            return env[e[4:]] if e.startswith("env.") else self.expr[e]
        return re.sub(r"\$\{\{(.*?)\}\}", one, str(text))

    def run(self, job: dict[str, Any], overrides: dict[str, str]) -> None:
        env = {**{k: self._sub(v, {}) for k, v in job["env"].items()}, **overrides}
        for step in job["steps"]:
            name = step.get("name", step.get("uses", ""))
            if name == "Install" or step.get("uses", "").startswith(("actions/checkout", "actions/setup-python")):
                continue  # the checkout is this one, its .venv installed
            here = {**env, **{k: self._sub(v, env) for k, v in step.get("env", {}).items()}}
            with_ = {k: self._sub(v, here) for k, v in step.get("with", {}).items()}
            uses = step.get("uses", "").split("@")[0]
            if uses == "actions/cache/restore":
                hits = sorted(self.cache.glob(f"{with_['restore-keys']}*"))
                if hits:
                    Path(with_["path"]).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(hits[-1] / "baseline.json", with_["path"])
            elif uses == "actions/cache/save":
                if self.outputs.get("suite", {}).get("recorded") == "true" and Path(with_["path"]).is_file():
                    (self.cache / with_["key"]).mkdir(parents=True)
                    shutil.copy(with_["path"], self.cache / with_["key"] / "baseline.json")
            elif uses == "actions/upload-artifact":
                if Path(with_["path"]).exists():
                    self.uploaded[with_["name"]] = Path(with_["path"])
            else:
                out = self.tmp / f"output-{step.get('id', 'x')}"
                out.write_text("")
                script = self.tmp / "step.sh"
                script.write_text(step["run"])
                proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=ROOT,
                                      env={**os.environ, **here, "GITHUB_OUTPUT": str(out),
                                           "GITHUB_STEP_SUMMARY": str(self.tmp / "summary.md")},
                                      capture_output=True, text=True, timeout=600, check=False)
                self.status[name] = proc.returncode
                self.outputs[step.get("id", "x")] = dict(ln.split("=", 1) for ln in out.read_text().splitlines() if "=" in ln)
                if name != "Contract suite against staging":
                    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_job_records_a_baseline_then_compares_with_it(tmp_path: Path) -> None:
    job, cache = _job(), tmp_path / "cache"
    cache.mkdir()
    overrides = {"SUITE_ARGS": "--hypothesis-profile quick -k documented", "TARGET_FILE": str(tmp_path / "t.toml"),
                 "BASELINE": str(tmp_path / "baselines" / "staging.json")}
    nights = []
    for n, variant in enumerate(["strict", "not-found-1001"], 1):  # the second night: the platform changed
        app = server.make_app("v74", "none", variants.VARIANTS[variant], frozenset({TOKEN}))
        with server.LoopbackServer(app) as srv:
            toml = server.target_toml(server.target_for(srv.base_url, "v74"))
            night = Night(tmp_path / f"night{n}", cache, {"ALTCRAFT_TARGET_TOML": toml}, run_id=100 + n)
            night.tmp.mkdir()
            Path(overrides["BASELINE"]).unlink(missing_ok=True)  # each night starts from a fresh checkout
            night.run(job, {**overrides, "REPORTS_DIR": str(night.tmp / "reports")})
            nights.append(night)
    first, second = nights
    assert first.status["Contract suite against staging"] == 0 and first.outputs["suite"] == {"recorded": "true"}
    assert [p.name for p in cache.iterdir()] == ["contract-baseline-staging-101"]
    assert {"contract-report", "contract-baseline"} <= set(first.uploaded)
    assert "**PASS** (exit 0)" in (first.tmp / "summary.md").read_text()
    assert second.status["Contract suite against staging"] == 10 and second.outputs["suite"] == {}
    assert "**CHANGED** (exit 10)" in (second.tmp / "summary.md").read_text()
    assert (second.uploaded["contract-report"] / "junit.xml").is_file()
    assert len(list(cache.iterdir())) == 1  # a compare keeps the baseline it compared with
