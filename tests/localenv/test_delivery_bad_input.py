"""Bad input stops a deploy before it changes anything, saying what is wrong and what to do: no cluster to
deploy to (how to start one), a chart values error (the chart's own message, at plan time)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import cdktf
import pytest

from bootstrap.terraform import deploy_env
from bootstrap.tofu import Tofu, TofuFailed
from bootstrap.toolchain import load_toolchain
from contract import settings
from contract.tools import tool
from localenv.deploy import LocalDeployError, deploy_local
from stacks.connection import ClusterConnection
from stacks.delivery.platform_charts import CHARTS_DIR
from stacks.delivery.providers import ClusterProviders
from stacks.delivery.release import Timing, release, values_document
from synthkit import ROOT, temporary_app

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
    with pytest.raises(
        LocalDeployError, match=r"no kubeconfig at .*Fix: start the local kind cluster with `make cluster`"
    ):
        deploy_local(str(tmp_path / "missing"), "kind-voiceplat-local")


def test_deploying_to_a_context_the_kubeconfig_lacks_names_the_contexts_and_how_to_start_a_cluster(unreachable):
    with pytest.raises(LocalDeployError) as error:
        deploy_local(str(unreachable), "kind-voiceplat-local")
    assert "has no context kind-voiceplat-local (it has: kind-gone)" in str(error.value)
    assert "`make cluster`" in str(error.value)


def test_deploying_to_a_cluster_that_does_not_answer_says_how_to_start_one(unreachable):
    with pytest.raises(LocalDeployError, match=r"kind-gone does not answer .*`make cluster`"):
        deploy_local(str(unreachable), "kind-gone")


def failed_plan(folder: Path) -> str:
    """`tofu init` + `tofu plan` of a synthesized stack's folder (cdk.tf.json and its assets), offline, through the
    project's OpenTofu runner; the plan must fail: returns its errors, their white space folded."""
    env = deploy_env(tool("tofu"), load_toolchain().tf_cli_config)
    tofu = Tofu(env["TERRAFORM_BINARY_NAME"], folder, env)
    tofu.init()
    with pytest.raises(TofuFailed) as failed:
        tofu.plan()
    assert failed.value.step == "plan"
    return " ".join(" ".join(failed.value.errors).split())


@pytest.mark.toolchain
def test_a_plain_cdktf_deploy_of_local_with_no_cluster_fails_its_plan_saying_how_to_start_one(tmp_path):
    env = dict(
        os.environ,
        **{settings.STACKS.name: "local", settings.CLUSTER.name: "not-running"},
        CDKTF_OUTDIR=str(tmp_path / "out"),
    )
    subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, check=True, capture_output=True)
    output = failed_plan(tmp_path / "out" / "stacks" / "local")
    assert "has no context kind-not-running: no kind cluster is running there." in output
    assert "Fix: start the local kind cluster with `make cluster`" in output


@pytest.mark.toolchain
def test_a_chart_values_error_fails_the_plan_with_the_charts_message(tmp_path, unreachable):
    """The release settings of the project's charts lint them with their values while planning: the schema's
    complaint stops the plan before anything is applied (no cluster is needed to see it)."""
    with temporary_app() as app:
        stack = cdktf.TerraformStack(app, "bad-values")
        ClusterProviders(
            stack, "providers", connection=ClusterConnection(config_path=str(unreachable), config_context="kind-gone")
        )
        release(
            stack,
            "vad",
            name="vad",
            namespace="voiceplat",
            chart=CHARTS_DIR / "vad",
            timing=Timing.QUICK,
            values=[values_document({"global": {"environment": "e2e"}, "services": {"vad": {"replicas": "many"}}})],
            lint=True,
        )
        synthesized = Path(cdktf.Testing.full_synth(stack))  # a folder of its own, the chart in it as an asset
        try:
            errors = failed_plan(synthesized / "stacks" / "bad-values")
        finally:
            shutil.rmtree(synthesized, ignore_errors=True)
    assert "Lint Error" in errors
    assert "at '/services/vad/replicas': got string, want integer" in errors
