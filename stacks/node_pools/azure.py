"""AKS node pools. The system pool is the cluster's default pool (AKS requires one inline), so its
settings come from `pool_settings`, shared with the separate pools built by `AksNodePool`."""

from cdktf import TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.kubernetes_cluster_node_pool import (
    KubernetesClusterNodePool,
    KubernetesClusterNodePoolUpgradeSettings,
)
from constructs import Construct

from ..environments import NodePool

# Overlay networking does not spend VNet addresses on pods, so nodes can take the full default.
MAX_PODS = 110


def pool_settings(pool: NodePool, *, zones: tuple[str, ...], subnet_id: str, tags: dict[str, str]) -> dict:
    """Arguments an AKS pool takes, the same for the default pool and the separate ones."""
    return {
        "name": pool.role,
        "vm_size": pool.instance_types[0],
        "zones": list(zones),
        "vnet_subnet_id": subnet_id,
        "auto_scaling_enabled": True,
        "min_count": pool.min_size,
        "max_count": pool.max_size,
        "node_count": pool.desired_size,
        "node_labels": pool.labels,
        # Temp disks, caches and disk traffic encrypted on the VM host (CKV_AZURE_227).
        "host_encryption_enabled": True,
        "os_sku": "AzureLinux",
        "os_disk_size_gb": pool.disk_gib,
        "max_pods": MAX_PODS,
        "node_public_ip_enabled": False,
        "tags": tags,
    }


class AksNodePool(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster_id: str,
        pool: NodePool,
        zones: tuple[str, ...],
        subnet_id: str,
        kubernetes_version: str,
        tags: dict[str, str],
    ):
        super().__init__(scope, id_)
        self.pool = KubernetesClusterNodePool(
            self,
            "pool",
            kubernetes_cluster_id=cluster_id,
            mode="User",
            orchestrator_version=kubernetes_version,
            node_taints=[taint.kubectl() for taint in pool.taints],
            upgrade_settings=KubernetesClusterNodePoolUpgradeSettings(max_surge="33%"),
            # The cluster autoscaler owns the node count once the pool exists.
            lifecycle=TerraformResourceLifecycle(ignore_changes=["node_count"]),
            **pool_settings(pool, zones=zones, subnet_id=subnet_id, tags=tags),
        )
