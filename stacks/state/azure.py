"""The Azure state store of the AKS environments: a zone-redundant storage account with Entra ID auth only (no
account keys), blob versioning and soft delete, TLS 1.2, no public blobs, and a private container per environment
that keeps its state there. The environments' azurerm backends lock state blobs with leases."""

from cdktf import LocalBackend, TerraformOutput, TerraformResourceLifecycle, TerraformStack
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from cdktf_cdktf_provider_azurerm.resource_group import ResourceGroup
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.storage_account import (
    StorageAccount,
    StorageAccountBlobProperties,
    StorageAccountBlobPropertiesContainerDeleteRetentionPolicy,
    StorageAccountBlobPropertiesDeleteRetentionPolicy,
)
from cdktf_cdktf_provider_azurerm.storage_container import StorageContainer
from constructs import Construct

from ..environments.state import AzureState
from ..stack.base import state_path

KEEP = TerraformResourceLifecycle(prevent_destroy=True)  # the state of every environment: never by accident
TAGS = {"project": "voiceplat", "managed-by": "cdktf"}


class AzureStateStack(TerraformStack):
    def __init__(self, scope: Construct, name: str, *, store: AzureState, environments: tuple[str, ...]):
        super().__init__(scope, name)
        LocalBackend(self, path=state_path(name))
        # Account keys are off, so the provider reaches the blob data plane with Entra ID too.
        AzurermProvider(self, "azurerm", features=[AzurermProviderFeatures()], storage_use_azuread=True)
        group = ResourceGroup(
            self, "group", name=store.resource_group, location=store.location, tags=TAGS, lifecycle=KEEP
        )
        account = StorageAccount(
            self,
            "account",
            name=store.storage_account,
            resource_group_name=group.name,
            location=store.location,
            account_tier="Standard",
            account_replication_type="ZRS",
            min_tls_version="TLS1_2",
            shared_access_key_enabled=False,
            allow_nested_items_to_be_public=False,
            infrastructure_encryption_enabled=True,
            https_traffic_only_enabled=True,
            blob_properties=StorageAccountBlobProperties(
                versioning_enabled=True,
                delete_retention_policy=StorageAccountBlobPropertiesDeleteRetentionPolicy(days=30),
                container_delete_retention_policy=StorageAccountBlobPropertiesContainerDeleteRetentionPolicy(days=30),
            ),
            tags=TAGS,
            lifecycle=KEEP,
        )
        # Whoever bootstraps may read and write state blobs (each environment's CI identities get the same role on
        # their environment's container, from their own stack: stacks/ci_access/azure.py).
        RoleAssignment(
            self,
            "deployer-state",
            scope=account.id,
            role_definition_name="Storage Blob Data Contributor",
            principal_id=DataAzurermClientConfig(self, "deployer").object_id,
        )
        for environment in environments:
            StorageContainer(
                self,
                f"container-{environment}",
                name=store.container(environment),
                storage_account_id=account.id,
                container_access_type="private",
            )
        TerraformOutput(self, "storage_account", value=account.name, description="Storage account of the state")
