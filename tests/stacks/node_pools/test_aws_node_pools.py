"""EksNodePool: the AL2023 image per architecture and GPU, the contract's labels and taints, root volumes."""

import pytest
from cdktf_cdktf_provider_aws.eks_node_group import EksNodeGroup
from cdktf_cdktf_provider_aws.launch_template import LaunchTemplate

import contract
from stacks.environments.catalog import PROD_EU
from stacks.node_pools.aws import EksNodePool
from synthkit import construct_json

GPU = PROD_EU.cluster.pool("gpu")
GENERAL = PROD_EU.cluster.pool("general")


def pool_of(pool):
    return construct_json(
        lambda stack: EksNodePool(
            stack,
            "pool",
            cluster_name="voiceplat-prod-eu",
            pool=pool,
            subnet_ids=["subnet-a", "subnet-b"],
            kubernetes_version="1.34",
        )
    )


@pytest.fixture(scope="module")
def gpu():
    return pool_of(GPU)


@pytest.fixture(scope="module")
def general():
    return pool_of(GENERAL)


def test_gpu_pool_runs_the_nvidia_image_on_l4_instances(gpu):
    assert gpu.has(
        EksNodeGroup.TF_RESOURCE_TYPE,
        {"ami_type": "AL2023_x86_64_NVIDIA", "instance_types": ["g6.xlarge", "g6.2xlarge"]},
    )


def test_gpu_pool_carries_the_contracts_gpu_label(gpu):
    assert gpu.has(
        EksNodeGroup.TF_RESOURCE_TYPE,
        {"labels": {contract.GPU_NODE_LABEL_KEY: contract.GPU_NODE_LABEL_VALUE, contract.POOL_LABEL: "gpu"}},
    )


def test_gpu_pool_carries_the_contracts_gpu_taint(gpu):
    assert gpu.has(
        EksNodeGroup.TF_RESOURCE_TYPE,
        {"taint": [{"key": contract.GPU_TAINT.key, "value": contract.GPU_TAINT.value, "effect": "NO_SCHEDULE"}]},
    )


def test_general_pool_runs_the_arm_image_on_graviton(general):
    assert general.has(
        EksNodeGroup.TF_RESOURCE_TYPE,
        {"ami_type": "AL2023_ARM_64_STANDARD", "instance_types": ["m7g.2xlarge", "m7g.4xlarge"]},
    )


def test_general_pool_is_labelled_and_untainted(general):
    group = general.one(EksNodeGroup.TF_RESOURCE_TYPE)
    assert group["labels"] == {contract.POOL_LABEL: "general"} and "taint" not in group


def test_pool_sizes_come_from_the_environment(general):
    assert general.has(
        EksNodeGroup.TF_RESOURCE_TYPE,
        {
            "scaling_config": {
                "min_size": GENERAL.min_size,
                "max_size": GENERAL.max_size,
                "desired_size": GENERAL.desired_size,
            }
        },
    )


def test_the_autoscaler_owns_the_desired_size(general):
    assert general.has(
        EksNodeGroup.TF_RESOURCE_TYPE, {"lifecycle": {"ignore_changes": ["scaling_config[0].desired_size"]}}
    )


def test_root_volumes_are_encrypted_gp3_of_the_pools_size(gpu):
    assert gpu.has(
        LaunchTemplate.TF_RESOURCE_TYPE,
        {"block_device_mappings": [{"ebs": {"encrypted": "true", "volume_type": "gp3", "volume_size": GPU.disk_gib}}]},
    )


def test_nodes_require_imdsv2_with_one_hop(gpu):
    assert gpu.has(
        LaunchTemplate.TF_RESOURCE_TYPE,
        {"metadata_options": {"http_tokens": "required", "http_put_response_hop_limit": 1}},
    )


def test_node_group_uses_its_launch_template(gpu):
    assert gpu.has(
        EksNodeGroup.TF_RESOURCE_TYPE, {"launch_template": {"id": gpu.ref(LaunchTemplate.TF_RESOURCE_TYPE, "id")}}
    )
