"""Policy scan of every stack main.py synthesizes (checkov, terraform_json framework).

Production fails none of the listed checks; an environment may fail a check only if its
`policy_skips` names it with a reason, and every such skip must still be needed.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from stacks.environments import ENVIRONMENTS, Cloud
from synthkit import ROOT, all_stacks, start_app_runs

start_app_runs()  # in the background while the other tests run

CHECKS = {
    Cloud.AWS: ("CKV_AWS_37", "CKV_AWS_38", "CKV_AWS_39", "CKV_AWS_58"),
    Cloud.AZURE: (
        "CKV_AZURE_4",
        "CKV_AZURE_5",
        "CKV_AZURE_6",
        "CKV_AZURE_7",
        "CKV_AZURE_8",
        "CKV_AZURE_115",
        "CKV_AZURE_116",
        "CKV_AZURE_117",
        "CKV_AZURE_141",
        "CKV_AZURE_170",
        "CKV_AZURE_172",
        "CKV_AZURE_227",
    ),
    Cloud.LOCAL: (),
}
CLOUD_STACKS = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]
PRODUCTION = [name for name in CLOUD_STACKS if name.startswith("prod-")]


def checkov_binary() -> str:
    found = os.environ.get("CHECKOV") or str(ROOT / ".venv-checkov" / "bin" / "checkov")
    if not Path(found).exists():
        pytest.fail(f"checkov not found at {found}: run `make checkov` (or set CHECKOV to its path)")
    return found


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, dict[str, set[str]]]:
    """stack -> {"passed": check IDs, "failed": check IDs}, from one checkov run over all stacks."""
    scan_root = tmp_path_factory.mktemp("checkov")
    for name, run in all_stacks().items():
        shutil.copytree(run.outdir / "stacks" / name, scan_root / name)
    checks = ",".join(check for ids in CHECKS.values() for check in ids)
    env = dict(os.environ, BC_SKIP_MAPPING="TRUE")  # offline: no guideline download
    scan = subprocess.run(
        [
            checkov_binary(),
            "-d",
            str(scan_root),
            "--framework",
            "terraform_json",
            "--check",
            checks,
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert scan.returncode in (0, 1), f"checkov could not scan:\n{scan.stderr[-3000:]}"
    report = json.loads(scan.stdout)
    found = {name: {"passed": set(), "failed": set()} for name in ENVIRONMENTS}
    for outcome in ("passed", "failed"):
        for result in report["results"][f"{outcome}_checks"]:
            stack = Path(result["file_abs_path"]).parent.name
            found.setdefault(stack, {"passed": set(), "failed": set()})[outcome].add(result["check_id"])
    return found


@pytest.mark.parametrize("name", CLOUD_STACKS)
def test_every_listed_check_of_the_cloud_is_evaluated(results, name):
    evaluated = results[name]["passed"] | results[name]["failed"]
    assert set(CHECKS[ENVIRONMENTS[name].cloud]) <= evaluated


@pytest.mark.parametrize("name", PRODUCTION)
def test_production_fails_none_of_the_listed_checks(results, name):
    assert results[name]["failed"] == set()


@pytest.mark.parametrize("name", PRODUCTION)
def test_production_skips_no_check(name):
    assert dict(ENVIRONMENTS[name].policy_skips) == {}


@pytest.mark.parametrize("name", CLOUD_STACKS)
def test_an_environment_fails_only_the_checks_it_skips_with_a_reason(results, name):
    assert results[name]["failed"] <= set(ENVIRONMENTS[name].policy_skips)


@pytest.mark.parametrize("name", [name for name in CLOUD_STACKS if ENVIRONMENTS[name].policy_skips])
def test_every_skip_is_still_needed(results, name):
    assert set(ENVIRONMENTS[name].policy_skips) <= results[name]["failed"]


def test_the_local_stack_fails_nothing(results):
    assert results["local"]["failed"] == set()
