"""The load tests' CI smoke on kind, through loadtests/'s own driver (`python -m loadtests.run`, what
`make loadtest` runs): the smoke shape with the stand-in scenario and the SLO gate of the `local` environment,
from one locust process here through the REST API's NodePort, the same through the Ingress controller, and spread
over two locust workers in the cluster (charts/locust). The two runs from here go side by side (two light loads
of 10 users each: p95 about 25 ms against the gate's 500), then the in-cluster run: its image load into every node
and its pods' start took the outside runs' p95 past the gate when they overlapped (540 and 720 ms in CI at
37295b6). The image is built and loaded while the cluster is set up (e2e/conftest.py), so the in-cluster run finds
it on the nodes. Reports land in artifacts/e2e/loadtest-*/."""

import contextlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bootstrap.waiting import WaitTimeout, wait_for

from .fixtures.evidence import ARTIFACTS

pytestmark = pytest.mark.loadtest

ROOT = Path(__file__).resolve().parents[1]
ENV = "local"  # loadtests/environments/local.toml: the stand-in on kind, its hosts and SLOs
SHAPE = "smoke"
# The distributed run proves master, workers and report hand-over; half the smoke's minute is enough for that.
DISTRIBUTED_TIME_SCALE = "0.5"
STAGE_TIMEOUT_S = 600
NODEPORT, INGRESS, WORKERS = "nodeport", "ingress", "two_locust_workers"  # each names the claim it serves
STAGES = ((NODEPORT, INGRESS), (WORKERS,))  # runs side by side within a stage, stages one after the other


def smoke_command(out: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "loadtests.run", "--env", ENV, "--shape", SHAPE, "--out", str(out), *args]


def verdict(returncode: int, output: str, out: Path) -> tuple[bool, str]:
    """(the run passed its SLO gate having sent requests, why not)."""
    summary_file = out / "summary.json"
    if not summary_file.is_file():
        return False, f"exit {returncode}, no summary.json:\n{output[-3000:]}"
    summary = json.loads(summary_file.read_text())
    passed = (
        returncode == 0 and summary["slo"]["checked"] and summary["slo"]["passed"] and summary["total"]["requests"] > 0
    )
    return (
        passed,
        f"exit {returncode}, {summary['total']['requests']} requests, "
        f"breaches {[b['message'] for b in summary['slo']['breaches']]}, reports in {out}",
    )


def selected_runs(request) -> set[str]:
    """The runs whose claims this session collected (`-k`/`-m` may leave some out)."""
    names = [item.name for item in request.session.items if item.module is request.module]
    return {run for run in (NODEPORT, INGRESS, WORKERS) if any(f"_{run}_" in name for name in names)}


@pytest.fixture(scope="module")
def smoke_verdicts(request, platform, ingress_url, api_ingress_host) -> dict[str, tuple[bool, str]]:
    """Each selected smoke run's verdict, the runs of a stage started at once. The distributed run finds kind, helm
    and kubectl as every caller does (contract.tools), in the tools `platform`'s cluster was made with."""
    cluster_env = {**os.environ, "KUBECONFIG": platform.kubeconfig}
    plans = {
        NODEPORT: (ARTIFACTS / "loadtest-smoke", ("--host", platform.api_url), None),
        # The path production traffic takes: the controller, then the REST API's Service.
        INGRESS: (
            ARTIFACTS / "loadtest-smoke-ingress",
            ("--host", ingress_url, "--host-header", api_ingress_host),
            None,
        ),
        WORKERS: (
            ARTIFACTS / "loadtest-distributed",
            ("--workers", "2", "--kube-context", platform.context, "--time-scale", DISTRIBUTED_TIME_SCALE),
            cluster_env,
        ),
    }
    selected = selected_runs(request)
    verdicts = {}
    for stage in STAGES:
        verdicts |= side_by_side({run: plans[run] for run in stage if run in selected})
    return verdicts


def side_by_side(plans: dict[str, tuple[Path, tuple[str, ...], dict | None]]) -> dict[str, tuple[bool, str]]:
    """Start every planned run at once, wait for all within one deadline, and give each one's verdict."""
    started = {}
    for run, (out, args, env) in plans.items():
        shutil.rmtree(out, ignore_errors=True)  # a previous run's summary must not stand in for this one's
        out.mkdir(parents=True)
        log = (out / "driver.log").open("w")
        started[run] = (
            out,
            log,
            subprocess.Popen(
                smoke_command(out, *args), cwd=ROOT, env=env, text=True, stdout=log, stderr=subprocess.STDOUT
            ),
        )

    def all_ended() -> tuple[bool, str]:
        running = [run for run, (_, _, process) in started.items() if process.poll() is None]
        return not running, f"still running: {', '.join(running)}"

    with contextlib.suppress(WaitTimeout):  # each run still going is stopped; its verdict says what its log shows
        wait_for(all_ended, timeout=STAGE_TIMEOUT_S, interval=1, expected=f"{', '.join(started)} ended")
    verdicts = {}
    for run, (out, log, process) in started.items():
        if process.poll() is None:
            process.kill()
        returncode = process.wait()
        log.close()
        verdicts[run] = verdict(returncode, (out / "driver.log").read_text(), out)
    return verdicts


def test_the_smoke_load_test_through_the_nodeport_passes_its_slo_gate(smoke_verdicts):
    passed, why = smoke_verdicts[NODEPORT]
    assert passed, why


@pytest.mark.ingress
def test_the_smoke_load_test_through_the_ingress_passes_its_slo_gate(smoke_verdicts):
    passed, why = smoke_verdicts[INGRESS]
    assert passed, why


def test_the_smoke_load_test_over_two_locust_workers_in_the_cluster_passes_its_slo_gate(smoke_verdicts):
    passed, why = smoke_verdicts[WORKERS]
    assert passed, why
