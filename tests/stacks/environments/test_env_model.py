"""The environment model: the declared environments, and every bad input failing with its path and fix."""

from dataclasses import FrozenInstanceError, replace

import pytest

import contract
from stacks.environments import ENVIRONMENTS, Arch, Cloud, ConfigError, Delivery, Tier, UnknownEnvironment, get
from stacks.environments.catalog import PREVIEW_EU, PROD_EU, PROD_EU_AZ

PROD_EU_CLUSTER = PROD_EU.cluster


def with_network(env, **changes):
    return replace(env, cluster=replace(env.cluster, network=replace(env.cluster.network, **changes)))


def with_pool(env, pool_role, **changes):
    pools = tuple(replace(pool, **changes) if pool.role == pool_role else pool for pool in env.cluster.node_pools)
    return replace(env, cluster=replace(env.cluster, node_pools=pools))


def test_the_seven_environments_are_declared():
    assert list(ENVIRONMENTS) == [
        "local",
        "preview-eu",
        "prod-eu",
        "prod-us",
        "preview-eu-az",
        "prod-eu-az",
        "prod-us-az",
    ]


def test_both_clouds_have_a_preview_and_a_production_environment():
    tiers = {(env.cloud, env.tier) for env in ENVIRONMENTS.values()}
    assert {(cloud, tier) for cloud in (Cloud.AWS, Cloud.AZURE) for tier in (Tier.PREVIEW, Tier.PROD)} <= tiers


def test_environments_are_frozen():
    with pytest.raises(FrozenInstanceError):
        PROD_EU.region = "us-east-1"


def test_tags_cannot_be_changed_after_declaration():
    with pytest.raises(TypeError):
        PROD_EU.tags["environment"] = "other"


def test_environments_can_key_a_mapping():
    assert {PROD_EU: "eu"}[get("prod-eu")] == "eu"


def test_settings_are_keyword_only():
    with pytest.raises(TypeError):
        type(PROD_EU)("prod-eu", Cloud.AWS)


@pytest.mark.parametrize(
    "name, cloud, region",
    [
        ("local", Cloud.LOCAL, "local"),
        ("preview-eu", Cloud.AWS, "eu-west-1"),
        ("prod-eu", Cloud.AWS, "eu-west-1"),
        ("prod-us", Cloud.AWS, "us-east-1"),
        ("prod-eu-az", Cloud.AZURE, "westeurope"),
        ("prod-us-az", Cloud.AZURE, "eastus"),
        ("preview-eu-az", Cloud.AZURE, "westeurope"),
    ],
)
def test_each_environment_has_its_cloud_and_region(name, cloud, region):
    assert (get(name).cloud, get(name).region) == (cloud, region)


def test_local_points_at_the_kind_clusters_context():
    assert get("local").cluster.kubeconfig_context == "kind-" + contract.cluster_name("local")


def test_production_is_delivered_by_gitops_and_preview_by_helm():
    assert {env.name: env.delivery for env in ENVIRONMENTS.values() if env.name != "local"} == {
        "preview-eu": Delivery.HELM,
        "prod-eu": Delivery.GITOPS,
        "prod-us": Delivery.GITOPS,
        "prod-eu-az": Delivery.GITOPS,
        "prod-us-az": Delivery.GITOPS,
        "preview-eu-az": Delivery.HELM,
    }


def test_every_cloud_environment_has_system_general_and_gpu_pools():
    for env in ENVIRONMENTS.values():
        if env.cloud is not Cloud.LOCAL:
            assert [pool.role for pool in env.cluster.node_pools] == ["system", "general", "gpu"], env.name


def test_gpu_pools_carry_the_contracts_taint_and_label():
    gpu = PROD_EU.cluster.pool("gpu")
    assert gpu.taints == (contract.GPU_TAINT,)
    assert gpu.labels[contract.GPU_NODE_LABEL_KEY] == contract.GPU_NODE_LABEL_VALUE


def test_production_uses_a_nat_per_zone_and_preview_a_single_one():
    assert (PROD_EU.cluster.network.nat_gateways.value, PREVIEW_EU.cluster.network.nat_gateways.value) == (
        "per-zone",
        "single",
    )


def test_unknown_environment_lists_the_known_ones():
    with pytest.raises(
        UnknownEnvironment,
        match=r"prod-mars.*local, preview-eu, prod-eu, prod-us, preview-eu-az, prod-eu-az, prod-us-az",
    ):
        get("prod-mars")


def assert_refused(build, path: str, fix_fragment: str):
    """`build()` raises ConfigError at exactly `path`, with a fix that mentions `fix_fragment`."""
    with pytest.raises(ConfigError) as info:
        build()
    error = info.value
    assert error.path == path, str(error)
    assert fix_fragment in error.fix, str(error)
    assert str(error).startswith(f"{path}: ") and "Fix: " in str(error)


def test_unknown_region_lists_the_clouds_regions():
    assert_refused(lambda: replace(PROD_EU, region="eu-mars-1"), "prod-eu.region", "eu-west-1")


def test_zone_outside_the_region_names_the_zone():
    assert_refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU_CLUSTER, zones=("eu-west-1a", "eu-west-1b", "us-east-1c"))),
        "prod-eu.cluster.zones[2]",
        "eu-west-1a",
    )


@pytest.mark.parametrize(
    "bad, fix", [("10.20.0.0/33", "10.0.0.0/16"), ("10.20.0/16", "10.0.0.0/16"), ("vpc", "10.0.0.0/16")]
)
def test_malformed_vpc_cidr_names_the_field(bad, fix):
    assert_refused(lambda: with_network(PROD_EU, cidr=bad), "prod-eu.cluster.network.cidr", fix)


def test_cidr_with_host_bits_suggests_the_network_address():
    assert_refused(
        lambda: with_network(PROD_EU, private_subnets=("10.20.64.0/18", "10.20.128.1/18", "10.20.192.0/18")),
        "prod-eu.cluster.network.private_subnets[1]",
        "10.20.128.0/18",
    )


def test_overlapping_subnets_name_both_fields():
    assert_refused(
        lambda: with_network(PROD_EU, private_subnets=("10.20.0.0/18", "10.20.128.0/18", "10.20.192.0/18")),
        "prod-eu.cluster.network.private_subnets[0]",
        "own range",
    )


def test_subnet_outside_the_vpc_is_refused():
    assert_refused(
        lambda: with_network(PROD_EU, public_subnets=("10.99.0.0/20", "10.20.16.0/20", "10.20.32.0/20")),
        "prod-eu.cluster.network.public_subnets[0]",
        "inside 10.20.0.0/16",
    )


def test_service_cidr_overlapping_the_vpc_is_refused():
    assert_refused(
        lambda: with_network(PROD_EU, service_cidr="10.20.0.0/16"), "prod-eu.cluster.network.service_cidr", "disjoint"
    )


def test_pod_cidr_overlapping_the_vnet_is_refused():
    assert_refused(
        lambda: with_network(PROD_EU_AZ, pod_cidr="10.40.128.0/17"), "prod-eu-az.cluster.network.pod_cidr", "disjoint"
    )


def test_aws_needs_a_subnet_pair_per_zone():
    assert_refused(
        lambda: with_network(PROD_EU, public_subnets=("10.20.0.0/20",)),
        "prod-eu.cluster.network.public_subnets",
        "one public and one private subnet per zone",
    )


def test_min_above_max_names_the_pool():
    assert_refused(
        lambda: with_pool(PROD_EU, "general", min_size=5, desired_size=5, max_size=4),
        "prod-eu.cluster.node_pools[1].min_size",
        "raise max_size",
    )


def test_pool_sizes_must_be_whole_numbers():
    assert_refused(
        lambda: with_pool(PROD_EU, "gpu", max_size="20"), "prod-eu.cluster.node_pools[2].max_size", "integer"
    )


def test_desired_outside_the_bounds_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU, "gpu", desired_size=40),
        "prod-eu.cluster.node_pools[2].desired_size",
        "between min_size and max_size",
    )


def test_gpu_pool_with_a_type_without_gpu_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU, "gpu", instance_types=("g6.xlarge", "m7i.xlarge")),
        "prod-eu.cluster.node_pools[2].instance_types[1]",
        "g6",
    )


def test_azure_gpu_pool_with_a_general_size_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU_AZ, "gpu", instance_types=("Standard_D8s_v5",)),
        "prod-eu-az.cluster.node_pools[2].instance_types[0]",
        "T4",
    )


def test_arm_pool_with_an_x86_type_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU, "general", instance_types=("m7i.2xlarge",)),
        "prod-eu.cluster.node_pools[1].instance_types[0]",
        "Graviton",
    )


def test_azure_arm_pool_with_an_x86_size_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU_AZ, "system", instance_types=("Standard_D4s_v5",)),
        "prod-eu-az.cluster.node_pools[0].instance_types[0]",
        "Dpsv5",
    )


def test_gpu_type_in_a_general_pool_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU, "general", instance_types=("g5g.xlarge",)),
        "prod-eu.cluster.node_pools[1].instance_types[0]",
        "gpu pool",
    )


def test_unknown_instance_family_says_where_to_add_it():
    assert_refused(
        lambda: with_pool(PROD_EU, "general", instance_types=("zz9g.large",)),
        "prod-eu.cluster.node_pools[1].instance_types[0]",
        "clouds.py",
    )


def test_aws_instance_type_in_an_azure_pool_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU_AZ, "general", instance_types=("m7g.xlarge",)),
        "prod-eu-az.cluster.node_pools[1].instance_types[0]",
        "vetted size",
    )


def test_pool_declared_for_the_wrong_arch_is_refused():
    assert_refused(
        lambda: with_pool(PROD_EU, "gpu", arch=Arch.ARM64),
        "prod-eu.cluster.node_pools[2].instance_types[0]",
        "change the pool's arch",
    )


def test_unknown_pool_role_lists_the_contracts_roles():
    assert_refused(
        lambda: with_pool(PROD_EU, "general", role="batch"),
        "prod-eu.cluster.node_pools[1].role",
        "system, general, gpu",
    )


def test_system_pool_is_required():
    pools = tuple(pool for pool in PROD_EU_CLUSTER.node_pools if pool.role != "system")
    assert_refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU_CLUSTER, node_pools=pools)),
        "prod-eu.cluster.node_pools",
        "role='system'",
    )


def test_world_open_api_endpoint_is_refused():
    assert_refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU_CLUSTER, public_api_cidrs=("0.0.0.0/0",))),
        "prod-eu.cluster.public_api_cidrs[0]",
        "private endpoint",
    )


def test_kubernetes_version_must_be_a_supported_minor():
    assert_refused(
        lambda: replace(PROD_EU, cluster=replace(PROD_EU_CLUSTER, kubernetes_version="1.33.2")),
        "prod-eu.cluster.kubernetes_version",
        "'1.34'",
    )


def test_azure_pool_takes_one_vm_size():
    assert_refused(
        lambda: with_pool(PROD_EU_AZ, "general", instance_types=("Standard_D8ps_v5", "Standard_D16ps_v5")),
        "prod-eu-az.cluster.node_pools[1].instance_types",
        "one size",
    )


def test_azure_needs_an_overlay_pod_range():
    assert_refused(
        lambda: with_network(PROD_EU_AZ, pod_cidr=None), "prod-eu-az.cluster.network.pod_cidr", "10.244.0.0/16"
    )


def test_local_environment_cannot_create_a_cluster():
    assert_refused(lambda: replace(get("local"), cluster=PROD_EU_CLUSTER), "local.cluster", "ExistingCluster")


def test_values_files_must_stay_inside_the_chart():
    assert_refused(
        lambda: replace(PROD_EU, values_files=("../secrets.yaml",)), "prod-eu.values_files[0]", "inside the chart"
    )


def test_a_policy_skip_needs_a_written_reason():
    assert_refused(
        lambda: replace(PREVIEW_EU, policy_skips={"CKV_AWS_39": "preview"}),
        "preview-eu.policy_skips['CKV_AWS_39']",
        "why this environment may fail it",
    )


def test_tags_must_be_strings():
    assert_refused(lambda: replace(PROD_EU, tags={"cost-centre": 42}), "prod-eu.tags['cost-centre']", "tag")


def test_ingress_domain_must_be_a_dns_name():
    assert_refused(
        lambda: replace(PROD_EU, ingress=replace(PROD_EU.ingress, domain="Voice Platform")),
        "prod-eu.ingress.domain",
        "eu.voice.example.com",
    )


def test_the_kind_tier_is_for_the_local_cluster_only():
    assert_refused(lambda: replace(get("prod-eu"), tier=Tier.E2E), "prod-eu.tier", "Tier.PREVIEW or Tier.PROD")
