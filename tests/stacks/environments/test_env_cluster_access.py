"""Every cloud environment runs the catalog's one Kubernetes minor, kind's or the next, and `cdktf deploy` has a path to
its API server (the stack's Helm releases run from wherever the deploy runs)."""

from dataclasses import replace

import pytest

from contract import pins
from stacks.cluster.aws import EksCluster
from stacks.environments import ENVIRONMENTS, ConfigError
from stacks.environments.catalog import KUBERNETES_VERSION, PREVIEW_EU, PROD_EU, PROD_EU_AZ
from stacks.environments.clouds import SUPPORTED_KUBERNETES
from synthkit import construct_json

MANAGED = [env for env in ENVIRONMENTS.values() if env.cluster.creates_cluster]


def refused(build, path: str, fix_fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        build()
    assert info.value.path == path, str(info.value)
    assert fix_fragment in info.value.fix, str(info.value)


@pytest.mark.parametrize("env", MANAGED, ids=lambda env: env.name)
def test_every_cloud_cluster_runs_the_catalogs_minor_one_ahead_of_the_one_kind_and_kubeconform_use(env):
    # kind stays on 1.34 (cgroup v1 hosts); the clouds left 1.34's standard support by 2026-12-02
    assert pins.KUBERNETES_MINOR == "1.34" and env.cluster.kubernetes_version == KUBERNETES_VERSION == "1.35"


@pytest.mark.parametrize("env", MANAGED, ids=lambda env: env.name)
def test_every_clusters_minor_is_in_its_clouds_standard_support(env):
    assert env.cluster.kubernetes_version in SUPPORTED_KUBERNETES[env.cloud]


@pytest.mark.parametrize("minor", ["1.33", "1.36"])
def test_a_minor_other_than_kinds_or_the_next_is_refused(minor):
    refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU.cluster, kubernetes_version=minor)),
        "prod-eu.cluster.kubernetes_version",
        "contract/pins.py KUBERNETES",
    )


def test_kinds_own_minor_is_accepted_where_the_cloud_still_offers_it():
    assert replace(PROD_EU, cluster=replace(PROD_EU.cluster, kubernetes_version=pins.KUBERNETES_MINOR))


@pytest.mark.parametrize("env", MANAGED, ids=lambda env: env.name)
def test_every_cluster_is_reachable_from_its_deployers(env):
    assert env.cluster.public_api_cidrs or env.cluster.deploy_runner_cidrs


@pytest.mark.parametrize("env", [PROD_EU, PROD_EU_AZ], ids=lambda env: env.name)
def test_a_private_endpoint_without_a_deploy_runner_network_is_refused_with_both_fixes(env):
    build = lambda: replace(env, cluster=replace(env.cluster, public_api_cidrs=(), deploy_runner_cidrs=()))  # noqa
    refused(build, f"{env.name}.cluster.deploy_runner_cidrs", "public_api_cidrs")
    refused(build, f"{env.name}.cluster.deploy_runner_cidrs", "deploy_runner_cidrs")


def test_a_runner_network_overlapping_the_clusters_is_refused():
    refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU.cluster, deploy_runner_cidrs=("10.20.0.0/24",))),
        "prod-eu.cluster.deploy_runner_cidrs[0]",
        "own range",
    )


def test_a_public_range_as_runner_network_is_refused():
    refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU.cluster, deploy_runner_cidrs=("8.8.8.0/24",))),
        "prod-eu.cluster.deploy_runner_cidrs[0]",
        "public_api_cidrs",
    )


def eks(environment):
    return construct_json(
        lambda stack: EksCluster(
            stack,
            "cluster",
            name=environment.cluster_name,
            region=environment.region,
            settings=environment.cluster,
            subnet_ids=["subnet-a", "subnet-b", "subnet-c"],
        )
    )


def test_the_eks_private_endpoint_admits_the_deploy_runners_on_443():
    synth = eks(PROD_EU)
    rule = synth.one("aws_security_group_rule")
    assert (rule["type"], rule["from_port"], rule["to_port"], rule["cidr_blocks"]) == (
        "ingress",
        443,
        443,
        list(PROD_EU.cluster.deploy_runner_cidrs),
    )
    assert "cluster_security_group_id" in rule["security_group_id"]


def test_a_cluster_reached_over_its_public_endpoint_opens_nothing_else():
    assert eks(PREVIEW_EU).resources("aws_security_group_rule") == []
