"""Storage classes: which class each cloud offers for each storage role of the charts, which classes the stack
creates and which the cluster already has. Plain data; the one source of the class names the charts get
(environment_values.py) and of the StorageClass objects the stack installs (cluster_storage.py).

- AWS: EKS since 1.30 has no default StorageClass, so the stack creates `gp3` (EBS CSI driver, a managed add-on
  with its IRSA role: stacks/managed_addons/aws.py) as the default, and `efs-sc` (EFS CSI driver, one access point per
  claim on the environment's file system: stacks/storage/aws.py) for ReadWriteMany claims.
- AKS: the cluster ships the CSI classes (`default`/`managed-csi` as default, `managed-csi-premium`,
  `azurefile-csi`, `azurefile-csi-premium`, ...); the stack creates none.
- kind: `standard` (local-path provisioner) is the default; the charts name no class there (emptyDir volumes).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..environments import Cloud

# Parameters may name facts only the cloud stack knows, as `{fact}` (e.g. the EFS file system's id).
EFS_FILE_SYSTEM_ID = "efs_file_system_id"


@dataclass(frozen=True, kw_only=True)
class StorageClass:
    name: str
    provisioner: str
    parameters: Mapping[str, str] = field(default_factory=dict)
    default: bool = False
    volume_binding_mode: str = "WaitForFirstConsumer"  # a zonal volume is made in the zone its pod lands in
    allow_volume_expansion: bool = True

    def manifest(self, facts: Mapping[str, str]) -> dict:
        annotations = {"storageclass.kubernetes.io/is-default-class": "true"} if self.default else {}
        return {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": self.name, **({"annotations": annotations} if annotations else {})},
            "provisioner": self.provisioner,
            "parameters": {key: value.format(**facts) for key, value in self.parameters.items()},
            "reclaimPolicy": "Delete",
            "volumeBindingMode": self.volume_binding_mode,
            "allowVolumeExpansion": self.allow_volume_expansion,
        }


@dataclass(frozen=True, kw_only=True)
class CloudStorage:
    roles: Mapping[str, str]  # chart storage role (fast, shared) -> class name
    created: tuple[StorageClass, ...] = ()  # installed by the stack
    provided: Mapping[str, str] = field(default_factory=dict)  # class -> what makes it exist
    default: str = ""  # the class claims without a class get

    def available(self) -> set[str]:
        return {sc.name for sc in self.created} | set(self.provided)


GP3 = StorageClass(
    name="gp3",
    provisioner="ebs.csi.aws.com",
    default=True,
    parameters={"type": "gp3", "encrypted": "true", "csi.storage.k8s.io/fstype": "ext4"},
)
EFS = StorageClass(
    name="efs-sc",
    provisioner="efs.csi.aws.com",
    volume_binding_mode="Immediate",
    allow_volume_expansion=False,  # EFS grows by itself; claims' sizes are not enforced
    parameters={
        "provisioningMode": "efs-ap",
        "fileSystemId": "{" + EFS_FILE_SYSTEM_ID + "}",
        "directoryPerms": "700",
        "basePath": "/voiceplat",
    },
)
_AKS = "built into every AKS cluster (Azure Disk and Azure Files CSI drivers)"

STORAGE: Mapping[Cloud, CloudStorage] = {
    Cloud.LOCAL: CloudStorage(roles={}, provided={"standard": "kind's local-path provisioner"}, default="standard"),
    Cloud.AWS: CloudStorage(roles={"fast": GP3.name, "shared": EFS.name}, created=(GP3, EFS), default=GP3.name),
    Cloud.AZURE: CloudStorage(
        roles={"fast": "managed-csi-premium", "shared": "azurefile-csi-premium"},
        provided=dict.fromkeys(
            (
                "default",
                "managed-csi",
                "managed-csi-premium",
                "azurefile-csi",
                "azurefile-csi-premium",
                "managed",
                "managed-premium",
                "azurefile",
                "azurefile-premium",
            ),
            _AKS,
        ),
        default="default",
    ),
}


def storage_globals(cloud: Cloud) -> dict:
    """The charts' `global.storage` block: the class behind each role (nothing on kind: emptyDir volumes)."""
    roles = STORAGE[cloud].roles
    return {"storage": {"classes": dict(roles)}} if roles else {}
