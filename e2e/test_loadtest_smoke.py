"""The load tests' CI smoke (issue 7) on kind, through loadtests/'s own driver (`python -m loadtests.run`, what
`make loadtest` runs): the smoke shape with the stand-in scenario and the SLO gate of the `local` environment,
once from one locust process here through the REST API's NodePort, once spread over two locust workers in the
cluster (charts/locust). Reports land in artifacts/e2e/loadtest-*/."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .fixtures.evidence import ARTIFACTS

pytestmark = pytest.mark.loadtest

ROOT = Path(__file__).resolve().parents[1]
ENV = "local"  # loadtests/environments/local.toml: the stand-in on kind, its hosts and SLOs
SHAPE = "smoke"
# The distributed run proves master, workers and report hand-over; half the smoke's minute is enough for that.
DISTRIBUTED_TIME_SCALE = "0.5"


def run_loadtest(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    shutil.rmtree(out, ignore_errors=True)  # a previous run's summary must not stand in for this one's
    command = [sys.executable, "-m", "loadtests.run", "--env", ENV, "--shape", SHAPE, "--out", str(out), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)


def verdict(result: subprocess.CompletedProcess, out: Path) -> tuple[bool, str]:
    """(the run passed its SLO gate having sent requests, why not)."""
    summary_file = out / "summary.json"
    if not summary_file.is_file():
        return False, f"exit {result.returncode}, no summary.json:\n{(result.stdout + result.stderr)[-3000:]}"
    summary = json.loads(summary_file.read_text())
    passed = result.returncode == 0 and summary["slo"]["checked"] and summary["slo"]["passed"] \
        and summary["total"]["requests"] > 0
    return passed, f"exit {result.returncode}, {summary['total']['requests']} requests, " \
                   f"breaches {[b['message'] for b in summary['slo']['breaches']]}, reports in {out}"


def test_the_smoke_load_test_through_the_nodeport_passes_its_slo_gate(platform):
    out = ARTIFACTS / "loadtest-smoke"
    result = run_loadtest(out, "--host", platform.api_url)
    passed, why = verdict(result, out)
    assert passed, why


@pytest.mark.ingress
def test_the_smoke_load_test_through_the_ingress_passes_its_slo_gate(platform, ingress_url, api_ingress_host):
    """The path production traffic takes: the controller, then the REST API's Service."""
    out = ARTIFACTS / "loadtest-smoke-ingress"
    result = run_loadtest(out, "--host", ingress_url, env={**os.environ, "LOADTEST_HOST_HEADER": api_ingress_host})
    passed, why = verdict(result, out)
    assert passed, why


def test_the_smoke_load_test_over_two_locust_workers_in_the_cluster_passes_its_slo_gate(platform, toolchain):
    out = ARTIFACTS / "loadtest-distributed"
    tools = {str(Path(path).parent) for path in (toolchain.kind, toolchain.kubectl, toolchain.helm)}
    env = {**os.environ, "KUBECONFIG": platform.kubeconfig, "PATH": os.pathsep.join([*tools, os.environ["PATH"]])}
    result = run_loadtest(out, "--workers", "2", "--kube-context", platform.context,
                          "--time-scale", DISTRIBUTED_TIME_SCALE, env=env)
    passed, why = verdict(result, out)
    assert passed, why
