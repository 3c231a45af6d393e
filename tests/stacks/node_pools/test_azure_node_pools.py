"""AksNodePool: the GPU size, the contract's labels and taints, host encryption, autoscaling bounds."""

import pytest
from cdktf_cdktf_provider_azurerm.kubernetes_cluster_node_pool import KubernetesClusterNodePool

import contract
from stacks.environments.catalog import PROD_EU_AZ
from stacks.node_pools.azure import AksNodePool
from synthkit import construct_json

POOL = KubernetesClusterNodePool.TF_RESOURCE_TYPE
GPU = PROD_EU_AZ.cluster.pool("gpu")
GENERAL = PROD_EU_AZ.cluster.pool("general")


def pool_of(pool):
    return construct_json(
        lambda stack: AksNodePool(
            stack,
            "pool",
            cluster_id="aks-id",
            pool=pool,
            zones=("1", "2", "3"),
            subnet_id="subnet-nodes",
            kubernetes_version="1.34",
            tags={"project": "voiceplat"},
        )
    )


@pytest.fixture(scope="module")
def gpu():
    return pool_of(GPU)


@pytest.fixture(scope="module")
def general():
    return pool_of(GENERAL)


def test_gpu_pool_uses_the_t4_inference_size(gpu):
    assert gpu.has(POOL, {"name": "gpu", "vm_size": "Standard_NC8as_T4_v3", "mode": "User"})


def test_gpu_pool_carries_the_contracts_taint(gpu):
    assert gpu.has(POOL, {"node_taints": ["nvidia.com/gpu=present:NoSchedule"]})
    assert contract.GPU_TAINT.kubectl() == "nvidia.com/gpu=present:NoSchedule"


def test_gpu_pool_carries_the_contracts_labels(gpu):
    assert gpu.has(
        POOL, {"node_labels": {contract.GPU_NODE_LABEL_KEY: contract.GPU_NODE_LABEL_VALUE, contract.POOL_LABEL: "gpu"}}
    )


def test_general_pool_runs_on_arm_without_taints(general):
    pool = general.one(POOL)
    assert pool["vm_size"] == "Standard_D8ps_v5" and pool["node_taints"] == []


def test_every_pool_encrypts_at_host(general):
    assert general.has(POOL, {"host_encryption_enabled": True})


def test_pools_autoscale_within_the_environments_bounds(general):
    assert general.has(
        POOL,
        {
            "auto_scaling_enabled": True,
            "min_count": GENERAL.min_size,
            "max_count": GENERAL.max_size,
            "zones": ["1", "2", "3"],
        },
    )


def test_the_autoscaler_owns_the_node_count(general):
    assert general.has(POOL, {"lifecycle": {"ignore_changes": ["node_count"]}})
