"""Every cloud environment's Kubernetes version follows the project's one pin, and `cdktf deploy` has a path to
its API server (the stack's Helm releases run from wherever the deploy runs)."""
from dataclasses import replace

import pytest

from contract import pins
from stacks.cluster.aws import EksCluster
from stacks.environments import ENVIRONMENTS, ConfigError
from stacks.environments.clouds import SUPPORTED_KUBERNETES
from stacks.environments.catalog import PREVIEW_EU, PROD_EU, PROD_EU_AZ
from synthkit import construct_json

MANAGED = [env for env in ENVIRONMENTS.values() if env.cluster.creates_cluster]


def refused(build, path: str, fix_fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        build()
    assert info.value.path == path, str(info.value)
    assert fix_fragment in info.value.fix, str(info.value)


@pytest.mark.parametrize("env", MANAGED, ids=lambda env: env.name)
def test_every_cluster_runs_the_minor_kind_and_kubeconform_use(env):
    assert env.cluster.kubernetes_version == pins.KUBERNETES_MINOR == "1.34"


@pytest.mark.parametrize("env", MANAGED, ids=lambda env: env.name)
def test_every_clusters_minor_is_in_its_clouds_standard_support(env):
    assert env.cluster.kubernetes_version in SUPPORTED_KUBERNETES[env.cloud]


def test_a_minor_other_than_the_pinned_one_is_refused():
    refused(lambda: replace(PROD_EU, cluster=replace(PROD_EU.cluster, kubernetes_version="1.33")),
            "prod-eu.cluster.kubernetes_version", "contract/pins.py KUBERNETES")


@pytest.mark.parametrize("env", MANAGED, ids=lambda env: env.name)
def test_every_cluster_is_reachable_from_its_deployers(env):
    assert env.cluster.public_api_cidrs or env.cluster.deploy_runner_cidrs


@pytest.mark.parametrize("env", [PROD_EU, PROD_EU_AZ], ids=lambda env: env.name)
def test_a_private_endpoint_without_a_deploy_runner_network_is_refused_with_both_fixes(env):
    build = lambda: replace(env, cluster=replace(env.cluster, public_api_cidrs=(), deploy_runner_cidrs=()))  # noqa
    refused(build, f"{env.name}.cluster.deploy_runner_cidrs", "public_api_cidrs")
    refused(build, f"{env.name}.cluster.deploy_runner_cidrs", "deploy_runner_cidrs")


def test_a_runner_network_overlapping_the_clusters_is_refused():
    refused(lambda: replace(PROD_EU, cluster=replace(PROD_EU.cluster, deploy_runner_cidrs=("10.20.0.0/24",))),
            "prod-eu.cluster.deploy_runner_cidrs[0]", "own range")


def test_a_public_range_as_runner_network_is_refused():
    refused(lambda: replace(PROD_EU, cluster=replace(PROD_EU.cluster, deploy_runner_cidrs=("8.8.8.0/24",))),
            "prod-eu.cluster.deploy_runner_cidrs[0]", "public_api_cidrs")


def eks(environment):
    return construct_json(lambda stack: EksCluster(stack, "cluster", name=environment.cluster_name,
                                                   region=environment.region, settings=environment.cluster,
                                                   subnet_ids=["subnet-a", "subnet-b", "subnet-c"]))


def test_the_eks_private_endpoint_admits_the_deploy_runners_on_443():
    synth = eks(PROD_EU)
    rule = synth.one("aws_security_group_rule")
    assert (rule["type"], rule["from_port"], rule["to_port"], rule["cidr_blocks"]) == (
        "ingress", 443, 443, list(PROD_EU.cluster.deploy_runner_cidrs))
    assert "cluster_security_group_id" in rule["security_group_id"]


def test_a_cluster_reached_over_its_public_endpoint_opens_nothing_else():
    assert eks(PREVIEW_EU).resources("aws_security_group_rule") == []
