"""The scheduling contract shared by the stacks, the charts and the e2e suite.

Node pools carry these labels and taints wherever they run (EKS, AKS, kind); the charts'
values default to the same strings and `tests/test_contract.py` keeps them in step.
Plain Python with no imports, so the e2e harness can read it without loading cdktf.
"""
from dataclasses import dataclass

PLATFORM_NAMESPACE = "voiceplat"
POOL_LABEL = "voiceplat.io/pool"
ARCH_LABEL = "kubernetes.io/arch"

GPU_RESOURCE = "nvidia.com/gpu"
GPU_NODE_LABEL_KEY = "nvidia.com/gpu.present"
GPU_NODE_LABEL_VALUE = "true"


@dataclass(frozen=True)
class Taint:
    key: str
    value: str
    effect: str  # Kubernetes spelling: NoSchedule, PreferNoSchedule, NoExecute

    def kubectl(self) -> str:
        """`key=value:Effect`, the form kubectl, kubelet flags and AKS take."""
        return f"{self.key}={self.value}:{self.effect}"


GPU_TAINT = Taint(key="nvidia.com/gpu", value="present", effect="NoSchedule")


@dataclass(frozen=True)
class PoolRole:
    name: str
    labels: dict
    taints: tuple = ()


SYSTEM_POOL = PoolRole(name="system", labels={POOL_LABEL: "system"})
GENERAL_POOL = PoolRole(name="general", labels={POOL_LABEL: "general"})
GPU_POOL = PoolRole(
    name="gpu",
    labels={POOL_LABEL: "gpu", GPU_NODE_LABEL_KEY: GPU_NODE_LABEL_VALUE},
    taints=(GPU_TAINT,),
)
POOL_ROLES = {role.name: role for role in (SYSTEM_POOL, GENERAL_POOL, GPU_POOL)}


def cluster_name(environment: str) -> str:
    """The Kubernetes cluster's name in an environment (EKS/AKS cluster, kind cluster)."""
    return f"voiceplat-{environment}"
