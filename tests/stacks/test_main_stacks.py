"""main.py: one stack per environment, named after it; selection by variable or context; lazy bindings."""

import os
import re
import subprocess
import sys

import pytest

from contract import settings
from stacks.app import add_stack, selected_environments
from stacks.environments import ENVIRONMENTS, Cloud, UnknownEnvironment, aimed, get
from synthkit import ROOT, all_stacks, start_app_runs, temporary_app

start_app_runs()  # in the background while the other tests run

AWS_BINDINGS = "cdktf_cdktf_provider_aws"
AZURE_BINDINGS = "cdktf_cdktf_provider_azurerm"
# Every stack delivers the platform through the Helm and Kubernetes providers (stacks/delivery).
DELIVERY_BINDINGS = ("cdktf_cdktf_provider_helm", "cdktf_cdktf_provider_kubernetes")


def cloud_bindings(run) -> tuple:
    return tuple(name for name in run.loaded_bindings if name not in DELIVERY_BINDINGS)


@pytest.fixture(scope="module")
def stacks():
    return all_stacks()


@pytest.fixture(scope="module")
def built():
    """Every environment's stack object, built in this process (not synthesized)."""
    with temporary_app() as app:
        yield {name: add_stack(app, environment) for name, environment in ENVIRONMENTS.items()}


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_every_stack_exposes_how_to_reach_its_cluster(built, name):
    assert built[name].connection.provider_arguments()


@pytest.mark.parametrize("name", [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL])
def test_every_cloud_stack_says_what_must_exist_before_the_platform_is_installed(built, name):
    assert built[name].cluster_ready


def test_every_environment_is_selected_by_default():
    assert selected_environments(None, None) == list(ENVIRONMENTS.values())


def test_the_variable_restricts_synthesis_to_the_named_stacks():
    assert selected_environments("prod-eu, local", None) == [get("prod-eu"), get("local")]


def test_the_variable_wins_over_the_context():
    assert selected_environments("prod-us", ["prod-eu"]) == [get("prod-us")]


def test_the_context_can_list_the_stacks():
    assert selected_environments(None, ["prod-eu-az"]) == [get("prod-eu-az")]


def test_an_unknown_stack_in_the_selection_lists_the_known_ones():
    with pytest.raises(
        UnknownEnvironment,
        match="use one of local, preview-eu, prod-eu, prod-us, preview-eu-az, prod-eu-az, prod-us-az",
    ):
        selected_environments("prod-eu,prod-mars", None)


def test_main_py_stops_on_an_unknown_stack_and_names_the_known_ones(tmp_path):
    env = dict(os.environ, **{settings.STACKS.name: "prod-mars"}, CDKTF_OUTDIR=str(tmp_path))
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith("voiceplat: environment: unknown environment 'prod-mars'. Fix: use one of ")
    assert "prod-eu-az" in result.stderr and "Traceback" not in result.stderr


def test_each_environment_synthesizes_one_stack_named_after_it_beside_the_bootstraps_and_global_entries(stacks):
    names = {name for run in set(stacks.values()) for name in run.manifest_stacks()}
    regions = ("aws-eu-west-1", "aws-us-east-1", "azure-westeurope", "azure-eastus")
    bootstraps = {f"{kind}-{region}" for kind in ("state", "runner") for region in regions}
    assert names == set(ENVIRONMENTS) | bootstraps | {"global-aws", "global-azure"}


def test_synthesizing_local_loads_no_cloud_bindings(stacks):
    assert cloud_bindings(stacks["local"]) == ()


@pytest.mark.parametrize("name", ["preview-eu", "prod-eu", "prod-us", "global-aws"])
def test_synthesizing_an_aws_environment_loads_only_the_aws_bindings(stacks, name):
    assert cloud_bindings(stacks[name]) == (AWS_BINDINGS,)


@pytest.mark.parametrize("name", ["preview-eu-az", "prod-eu-az", "prod-us-az", "global-azure"])
def test_synthesizing_an_azure_environment_loads_only_the_azurerm_bindings(stacks, name):
    assert cloud_bindings(stacks[name]) == (AZURE_BINDINGS,)


def test_the_local_stack_points_at_the_kind_clusters_context(stacks):
    outputs = stacks["local"].stack_json("local")["output"]
    assert outputs["kube_context"]["value"] == "kind-voiceplat-local"


def test_the_local_cluster_variables_aim_the_local_environment_at_another_kind_cluster():
    local = aimed(
        get("local"),
        settings.local_target({settings.CLUSTER.name: "voiceplat-e2e-1", settings.KUBECONFIG.name: "/tmp/kubeconfig"}),
    )
    assert (local.cluster.kubeconfig_context, local.cluster.kubeconfig_path) == (
        "kind-voiceplat-e2e-1",
        "/tmp/kubeconfig",
    )
    assert aimed(get("prod-eu"), settings.LocalTarget(cluster="voiceplat-e2e-1")) == get("prod-eu")
    assert aimed(get("local"), settings.local_target({})) is get("local")


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_a_synthesized_stack_names_no_folder_of_the_machine_that_made_it(stacks, name):
    """cdktf.out made in one checkout or CI job plans from another: values files and local charts are assets."""
    run = stacks[name]
    text = (run.outdir / "stacks" / name / "cdk.tf.json").read_text()
    assert str(ROOT) not in text and str(run.outdir) not in text
    files = re.findall(r'file\(\\"(assets/[^\\]+)\\"\)', text)
    releases = run.stack_json(name).get("resource", {}).get("helm_release", {}).values()
    # What a release runs from the checkout: a local chart (the project's, on Helm-delivered environments) or a
    # post-renderer (Temporal's, on the clouds).
    local = [r["chart"] for r in releases if "repository" not in r]
    local += [r["postrender"]["binary_path"] for r in releases if r.get("postrender")]
    assert files and local
    for path in files + local:
        assert (run.outdir / "stacks" / name / path).exists(), path


def test_an_aws_stack_wires_a_node_group_per_pool_into_its_cluster(stacks):
    groups = stacks["prod-eu"].stack_json("prod-eu")["resource"]["aws_eks_node_group"].values()
    assert sorted(group["node_group_name"] for group in groups) == ["general", "gpu", "system"]
    assert all(group["cluster_name"].startswith("${aws_eks_cluster.") for group in groups)


def test_an_aws_stack_places_the_cluster_in_its_private_subnets(stacks):
    doc = stacks["prod-eu"].stack_json("prod-eu")
    private = {name for name, subnet in doc["resource"]["aws_subnet"].items() if "private" in subnet["tags"]["Name"]}
    (cluster,) = doc["resource"]["aws_eks_cluster"].values()
    assert {ref.split(".")[1] for ref in cluster["vpc_config"]["subnet_ids"]} == private


def test_an_aws_stack_tags_everything_through_the_provider(stacks):
    provider = stacks["prod-us"].stack_json("prod-us")["provider"]["aws"][0]
    assert provider["region"] == "us-east-1"
    assert provider["default_tags"][0]["tags"]["environment"] == "prod-us"


def test_the_azure_stack_adds_the_non_system_pools_to_its_cluster(stacks):
    pools = stacks["prod-eu-az"].stack_json("prod-eu-az")["resource"]["azurerm_kubernetes_cluster_node_pool"].values()
    assert sorted(pool["name"] for pool in pools) == ["general", "gpu"]
