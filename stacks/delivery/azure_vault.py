"""A Key Vault the cluster's pods read and nobody reaches from outside the network: RBAC authorization, purge
protection, public access off, one private endpoint in the nodes' subnet registered in the vault DNS zone.

Each reader that must not see another's secrets gets a vault of its own (Key Vault has no path prefixes to scope a
role by, as Secrets Manager has): the platform's workloads, and with GitOps ArgoCD's repo server.
"""

from cdktf_cdktf_provider_azurerm.key_vault import KeyVault, KeyVaultNetworkAcls
from cdktf_cdktf_provider_azurerm.private_endpoint import (
    PrivateEndpoint,
    PrivateEndpointPrivateDnsZoneGroup,
    PrivateEndpointPrivateServiceConnection,
)
from constructs import Construct

VAULT_DNS_ZONE = "privatelink.vaultcore.azure.net"
NAME_LIMIT = 24  # Key Vault names are global, 3-24 characters


def vault_name(*parts: str) -> str:
    """`kv-<parts joined by ->`, cut to Key Vault's limit without a trailing hyphen."""
    return "-".join(("kv", *parts))[:NAME_LIMIT].rstrip("-")


class PrivateKeyVault(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        location: str,
        resource_group_name: str,
        tenant_id: str,
        subnet_id: str,
        dns_zone_id: str,
        tags: dict[str, str],
    ):
        super().__init__(scope, id_)
        self.vault = KeyVault(
            self,
            "vault",
            name=name,
            location=location,
            resource_group_name=resource_group_name,
            tenant_id=tenant_id,
            sku_name="standard",
            rbac_authorization_enabled=True,
            purge_protection_enabled=True,
            soft_delete_retention_days=90,
            public_network_access_enabled=False,
            network_acls=KeyVaultNetworkAcls(default_action="Deny", bypass="AzureServices"),
            tags=tags,
        )
        PrivateEndpoint(
            self,
            "endpoint",
            name=f"pe-{name}",
            location=location,
            resource_group_name=resource_group_name,
            subnet_id=subnet_id,
            tags=tags,
            private_service_connection=PrivateEndpointPrivateServiceConnection(
                name="vault",
                private_connection_resource_id=self.vault.id,
                subresource_names=["vault"],
                is_manual_connection=False,
            ),
            private_dns_zone_group=PrivateEndpointPrivateDnsZoneGroup(name="vault", private_dns_zone_ids=[dns_zone_id]),
        )
