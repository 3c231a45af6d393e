"""Bad input stops a deploy before it changes anything, saying what is wrong and what to do: no cluster to
deploy to (how to start one), a chart values error (the chart's own message, at plan time)."""
import os
import subprocess
import sys
from pathlib import Path

import cdktf
import pytest

from bootstrap.terraform import deploy_env
from bootstrap.toolchain import load_toolchain
from contract import settings
from localenv.deploy import LocalDeployError, deploy_local
from stacks.connection import ClusterConnection
from stacks.delivery.platform_charts import CHARTS_DIR
from stacks.delivery.providers import ClusterProviders
from stacks.delivery.release import Timing, release, values_document
from synthkit import ROOT

UNREACHABLE_KUBECONFIG = """apiVersion: v1
kind: Config
clusters: [{name: gone, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: gone, user: {token: not-a-secret}}]
contexts: [{name: kind-gone, context: {cluster: gone, user: gone}}]
current-context: kind-gone
"""


@pytest.fixture
def unreachable(tmp_path) -> Path:
    path = tmp_path / "kubeconfig"
    path.write_text(UNREACHABLE_KUBECONFIG)
    return path


def test_deploying_to_a_kubeconfig_that_does_not_exist_says_how_to_start_a_cluster(tmp_path):
    with pytest.raises(LocalDeployError,
                       match=r"no kubeconfig at .*Fix: start the local kind cluster with `make cluster`"):
        deploy_local(str(tmp_path / "missing"), "kind-voiceplat-local")


def test_deploying_to_a_context_the_kubeconfig_lacks_names_the_contexts_and_how_to_start_a_cluster(unreachable):
    with pytest.raises(LocalDeployError) as error:
        deploy_local(str(unreachable), "kind-voiceplat-local")
    assert "has no context kind-voiceplat-local (it has: kind-gone)" in str(error.value)
    assert "`make cluster`" in str(error.value)


def test_deploying_to_a_cluster_that_does_not_answer_says_how_to_start_one(unreachable):
    with pytest.raises(LocalDeployError, match=r"kind-gone does not answer .*`make cluster`"):
        deploy_local(str(unreachable), "kind-gone")


def plan(folder: Path) -> subprocess.CompletedProcess:
    """`tofu init` + `tofu plan` of a synthesized stack's folder (cdk.tf.json and its assets), offline."""
    chain = load_toolchain()
    env = deploy_env(chain.tofu, chain.tf_cli_config)
    init = subprocess.run([chain.tofu, "init", "-input=false", "-no-color"], cwd=folder, env=env,
                          capture_output=True, text=True)
    assert init.returncode == 0, init.stdout + init.stderr
    return subprocess.run([chain.tofu, "plan", "-input=false", "-lock=false", "-no-color"], cwd=folder, env=env,
                          capture_output=True, text=True)


@pytest.mark.toolchain
def test_a_plain_cdktf_deploy_of_local_with_no_cluster_fails_its_plan_saying_how_to_start_one(tmp_path):
    env = dict(os.environ, **{settings.STACKS.name: "local", settings.CLUSTER.name: "not-running"},
               CDKTF_OUTDIR=str(tmp_path / "out"))
    subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, check=True, capture_output=True)
    result = plan(tmp_path / "out" / "stacks" / "local")
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1
    assert "has no context kind-not-running: no kind cluster is running there." in output
    assert "Fix: start the local kind cluster with `make cluster`" in output


@pytest.mark.toolchain
def test_a_chart_values_error_fails_the_plan_with_the_charts_message(tmp_path, unreachable):
    """The release settings of the project's charts lint them with their values while planning: the schema's
    complaint stops the plan before anything is applied (no cluster is needed to see it)."""
    stack = cdktf.TerraformStack(cdktf.Testing.app(), "bad-values")
    ClusterProviders(stack, "providers", connection=ClusterConnection(config_path=str(unreachable),
                                                                       config_context="kind-gone"))
    release(stack, "vad", name="vad", namespace="voiceplat", chart=CHARTS_DIR / "vad", timing=Timing.QUICK,
            values=[values_document({"global": {"environment": "e2e"}, "services": {"vad": {"replicas": "many"}}})],
            lint=True)
    result = plan(Path(cdktf.Testing.full_synth(stack)) / "stacks" / "bad-values")  # with the chart as an asset
    assert result.returncode == 1
    assert "Lint Error" in result.stderr
    assert "at '/services/vad/replicas': got string, want integer" in result.stderr
