"""What the platform's releases need from an AKS stack: the workload identity its pods read Key Vault with.

The platform's secrets live in a Key Vault of the environment, reachable only through a private endpoint in the
nodes' subnet (azure_vault.py). One user-assigned identity may read its secrets; each ServiceAccount the charts
create (found by rendering them) is federated to that identity through the cluster's OIDC issuer, which is what the
charts' SecretProviderClass objects use.
With GitOps delivery, ArgoCD's repo server gets an identity of its own and a vault of its own for the repository
credentials (argocd_repository.py); with a Slack or PagerDuty receiver, Alertmanager gets one for its receivers'
secrets (alerting.py): no identity reads another's vault.
Imported by the Azure stack only.
"""

from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.federated_identity_credential import FederatedIdentityCredential
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault
from cdktf_cdktf_provider_azurerm.private_dns_zone import PrivateDnsZone
from cdktf_cdktf_provider_azurerm.private_dns_zone_virtual_network_link import PrivateDnsZoneVirtualNetworkLink
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity
from constructs import Construct

import contract

from ..environments import Delivery, Environment
from .alerting import store_receivers
from .azure_vault import VAULT_DNS_ZONE, PrivateKeyVault, vault_name
from .facts import ClusterFacts, StoreReader, TemporalDatabase
from .rendered import service_accounts, stand_ins

TOKEN_AUDIENCE = "api://AzureADTokenExchange"


class AzureWorkloadIdentity(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: Environment,
        resource_group_name: str,
        vnet_id: str,
        subnet_id: str,
        oidc_issuer_url: str,
        tags: dict[str, str],
    ):
        super().__init__(scope, id_)
        location = environment.region
        self.tenant_id = DataAzurermClientConfig(self, "client").tenant_id
        zone = PrivateDnsZone(
            self, "vault-dns", name=VAULT_DNS_ZONE, resource_group_name=resource_group_name, tags=tags
        )
        PrivateDnsZoneVirtualNetworkLink(
            self,
            "vault-dns-link",
            name="vault",
            resource_group_name=resource_group_name,
            private_dns_zone_name=zone.name,
            virtual_network_id=vnet_id,
            tags=tags,
        )
        self._vault_settings = {
            "location": location,
            "resource_group_name": resource_group_name,
            "tenant_id": self.tenant_id,
            "subnet_id": subnet_id,
            "dns_zone_id": zone.id,
            "tags": tags,
        }
        self.vault = PrivateKeyVault(self, "vault", name=vault_name(environment.name), **self._vault_settings).vault
        self.identity = UserAssignedIdentity(
            self,
            "identity",
            name=f"id-{environment.cluster_name}-workloads",
            location=location,
            resource_group_name=resource_group_name,
            tags=tags,
        )
        RoleAssignment(
            self,
            "reads-secrets",
            scope=self.vault.id,
            role_definition_name="Key Vault Secrets User",
            principal_id=self.identity.principal_id,
        )
        self.chart_values = {
            "global": {
                "secrets": {
                    "azure": {
                        "tenantId": self.tenant_id,
                        "clientId": self.identity.client_id,
                        "keyvaultName": self.vault.name,
                    }
                }
            },
            "defaults": {
                "serviceAccount": {"annotations": {"azure.workload.identity/client-id": self.identity.client_id}}
            },
        }
        for account in service_accounts(environment, stand_ins(self.chart_values)):
            FederatedIdentityCredential(
                self,
                f"federated-{account}",
                name=account,
                resource_group_name=resource_group_name,
                parent_id=self.identity.id,
                issuer=oidc_issuer_url,
                audience=[TOKEN_AUDIENCE],
                subject=f"system:serviceaccount:{contract.PLATFORM_NAMESPACE}:{account}",
            )
        common = {"resource_group_name": resource_group_name, "oidc_issuer_url": oidc_issuer_url, "tags": tags}
        self.repo_server, self.argocd_vault = None, None
        if environment.delivery is Delivery.GITOPS:
            self.repo_server, self.argocd_vault = self._store_reader(
                environment,
                "argocd",
                vault_name("argocd", environment.name),
                contract.ARGOCD_NAMESPACE,
                contract.ARGOCD_REPO_SERVER_ACCOUNT,
                federation="federated-argocd-repo-server",
                **common,
            )
        self.alertmanager, self.alerts_vault = None, None
        if store_receivers(environment.alerting):
            self.alertmanager, self.alerts_vault = self._store_reader(
                environment,
                "alertmanager",
                vault_name("alerts", environment.name),
                contract.MONITORING_NAMESPACE,
                contract.ALERTMANAGER_ACCOUNT,
                federation="federated-alertmanager",
                **common,
            )

    def _store_reader(
        self,
        environment: Environment,
        reader: str,
        vault: str,
        namespace: str,
        account: str,
        *,
        federation: str,
        resource_group_name: str,
        oidc_issuer_url: str,
        tags: dict[str, str],
    ) -> tuple[StoreReader, KeyVault]:
        """A reader that must not see the workloads' secrets (ArgoCD's repo server, Alertmanager): a vault of its
        own and an identity that reads only that vault, federated to its one ServiceAccount."""
        vault = PrivateKeyVault(self, f"{reader}-vault", name=vault, **self._vault_settings).vault
        identity = UserAssignedIdentity(
            self,
            f"{reader}-identity",
            name=f"id-{environment.cluster_name}-{reader}",
            location=environment.region,
            resource_group_name=resource_group_name,
            tags=tags,
        )
        RoleAssignment(
            self,
            f"{reader}-reads-secrets",
            scope=vault.id,
            role_definition_name="Key Vault Secrets User",
            principal_id=identity.principal_id,
        )
        FederatedIdentityCredential(
            self,
            federation,
            name=account,
            resource_group_name=resource_group_name,
            parent_id=identity.id,
            issuer=oidc_issuer_url,
            audience=[TOKEN_AUDIENCE],
            subject=f"system:serviceaccount:{namespace}:{account}",
        )
        return (
            StoreReader(
                annotations={"azure.workload.identity/client-id": identity.client_id},
                parameters={"clientID": identity.client_id, "keyvaultName": vault.name, "tenantId": self.tenant_id},
            ),
            vault,
        )


def azure_cluster_facts(
    identity: AzureWorkloadIdentity, *, registry: str, temporal: TemporalDatabase | None = None
) -> ClusterFacts:
    """`registry`: the environment's ACR login server (stacks/registry/azure.py), which every chart image is
    pulled from; `temporal`: the database of Temporal's stores (stacks/database/azure.py)."""
    values = dict(identity.chart_values)
    values["global"] = {**values["global"], "image": {"registry": registry}}
    return ClusterFacts(
        chart_values=values, repo_server=identity.repo_server, alertmanager=identity.alertmanager, temporal=temporal
    )
