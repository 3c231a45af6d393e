"""Customer-managed key for AKS node disks: a Key Vault key, and a disk encryption set that uses it.

AKS encrypts every node's OS and data disks with this set (CKV_AZURE_117); the key rotates itself
and the set follows the newest version.
"""

import hashlib

from cdktf_cdktf_provider_azurerm.disk_encryption_set import DiskEncryptionSet, DiskEncryptionSetIdentity
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault, KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.key_vault_key import (
    KeyVaultKey,
    KeyVaultKeyRotationPolicy,
    KeyVaultKeyRotationPolicyAutomatic,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from constructs import Construct


def key_vault_name(cluster_name: str, location: str) -> str:
    """Key Vault names are global and at most 24 characters: a readable stem and a stable hash."""
    digest = hashlib.sha256(f"{cluster_name}/{location}".encode()).hexdigest()[:6]
    stem = cluster_name.removeprefix("voiceplat-")[:14].rstrip("-")
    return f"kv-{stem}-{digest}"


class AksDiskEncryption(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster_name: str,
        location: str,
        resource_group_name: str,
        tenant_id: str,
        deployer_object_id: str,
        tags: dict[str, str],
    ):
        super().__init__(scope, id_)
        self.vault = KeyVault(
            self,
            "vault",
            name=key_vault_name(cluster_name, location),
            location=location,
            resource_group_name=resource_group_name,
            tenant_id=tenant_id,
            sku_name="standard",
            rbac_authorization_enabled=True,
            purge_protection_enabled=True,  # a disk encryption set refuses a vault without it
            soft_delete_retention_days=90,
            # Access is by Entra RBAC; the network stays open because Terraform itself creates the key
            # from outside the VNet, and the disk service reaches it as a trusted Azure service.
            network_acls=KeyVaultNetworkAcls(default_action="Allow", bypass="AzureServices"),
            tags=tags,
        )
        deployer_can_manage_keys = RoleAssignment(
            self,
            "deployer-crypto-officer",
            scope=self.vault.id,
            role_definition_name="Key Vault Crypto Officer",
            principal_id=deployer_object_id,
        )
        self.key = KeyVaultKey(
            self,
            "key",
            name=f"{cluster_name}-disks",
            key_vault_id=self.vault.id,
            key_type="RSA",
            key_size=3072,
            key_opts=["wrapKey", "unwrapKey"],
            rotation_policy=KeyVaultKeyRotationPolicy(
                automatic=KeyVaultKeyRotationPolicyAutomatic(time_before_expiry="P30D"),
                expire_after="P1Y",
                notify_before_expiry="P29D",
            ),
            depends_on=[deployer_can_manage_keys],
            tags=tags,
        )
        self.encryption_set = DiskEncryptionSet(
            self,
            "encryption-set",
            name=f"des-{cluster_name}",
            location=location,
            resource_group_name=resource_group_name,
            key_vault_key_id=self.key.versionless_id,
            auto_key_rotation_enabled=True,
            identity=DiskEncryptionSetIdentity(type="SystemAssigned"),
            tags=tags,
        )
        self.key_access = RoleAssignment(
            self,
            "encryption-set-key-user",
            scope=self.vault.id,
            role_definition_name="Key Vault Crypto Service Encryption User",
            principal_id=self.encryption_set.identity.principal_id,
        )
        self.encryption_set_id = self.encryption_set.id
