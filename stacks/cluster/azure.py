"""AKS: Azure CNI overlay with Cilium network policy, Entra ID RBAC with local accounts off, OIDC issuer and
workload identity, Key Vault secrets provider with rotation, Azure Policy, monitoring, host encryption and
customer-managed disk keys. Exposure and SLA tier are environment data (`public_api_cidrs`, `uptime_sla`)."""

import ipaddress

from cdktf import Fn, TerraformResourceLifecycle
from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.kubernetes_cluster import (
    KubernetesCluster,
    KubernetesClusterApiServerAccessProfile,
    KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl,
    KubernetesClusterDefaultNodePool,
    KubernetesClusterDefaultNodePoolUpgradeSettings,
    KubernetesClusterIdentity,
    KubernetesClusterIngressApplicationGateway,
    KubernetesClusterKeyVaultSecretsProvider,
    KubernetesClusterNetworkProfile,
    KubernetesClusterOmsAgent,
)
from cdktf_cdktf_provider_azurerm.log_analytics_workspace import LogAnalyticsWorkspace
from cdktf_cdktf_provider_azurerm.monitor_diagnostic_setting import (
    MonitorDiagnosticSetting,
    MonitorDiagnosticSettingEnabledLog,
)
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity
from constructs import Construct

from ..connection import ClusterConnection, ExecAuth
from ..environments import ManagedCluster, NodePool
from ..node_pools.azure import pool_settings
from .azure_disk_encryption import AksDiskEncryption

# The application ID Entra ID gives the AKS API server in every tenant: kubelogin asks for tokens for it.
AKS_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630"
CONTROL_PLANE_LOGS = (
    "kube-apiserver",
    "kube-audit-admin",
    "kube-controller-manager",
    "kube-scheduler",
    "cluster-autoscaler",
    "guard",
)


class AksCluster(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        location: str,
        resource_group_name: str,
        settings: ManagedCluster,
        system_pool: NodePool,
        nodes_subnet_id: str,
        vnet_id: str,
        tags: dict[str, str],
        application_gateway_subnet_id: str | None = None,
    ):
        super().__init__(scope, id_)
        client = DataAzurermClientConfig(self, "deployer")
        self.identity = UserAssignedIdentity(
            self, "identity", name=f"id-{name}", location=location, resource_group_name=resource_group_name, tags=tags
        )
        # A user-assigned identity can be granted the VNet before the cluster exists, so the first
        # create does not race the role assignment.
        joins_vnet = RoleAssignment(
            self,
            "identity-network",
            scope=vnet_id,
            role_definition_name="Network Contributor",
            principal_id=self.identity.principal_id,
        )
        self.disk_encryption = AksDiskEncryption(
            self,
            "disk-encryption",
            cluster_name=name,
            location=location,
            resource_group_name=resource_group_name,
            tenant_id=client.tenant_id,
            deployer_object_id=client.object_id,
            tags=tags,
        )
        reads_encryption_set = RoleAssignment(
            self,
            "identity-encryption-set",
            scope=self.disk_encryption.encryption_set_id,
            role_definition_name="Reader",
            principal_id=self.identity.principal_id,
        )
        self.logs = LogAnalyticsWorkspace(
            self,
            "logs",
            name=f"log-{name}",
            location=location,
            resource_group_name=resource_group_name,
            sku="PerGB2018",
            retention_in_days=settings.log_retention_days,
            tags=tags,
        )
        private = not settings.public_api_cidrs
        service_cidr = ipaddress.IPv4Network(settings.network.service_cidr)
        self.cluster = KubernetesCluster(
            self,
            "cluster",
            name=name,
            location=location,
            resource_group_name=resource_group_name,
            dns_prefix=name,
            kubernetes_version=settings.kubernetes_version,
            sku_tier="Standard" if settings.uptime_sla else "Free",
            private_cluster_enabled=private,
            api_server_access_profile=None
            if private
            else KubernetesClusterApiServerAccessProfile(authorized_ip_ranges=list(settings.public_api_cidrs)),
            identity=KubernetesClusterIdentity(type="UserAssigned", identity_ids=[self.identity.id]),
            local_account_disabled=True,
            role_based_access_control_enabled=True,
            azure_active_directory_role_based_access_control=(
                KubernetesClusterAzureActiveDirectoryRoleBasedAccessControl(
                    azure_rbac_enabled=True, tenant_id=client.tenant_id
                )
            ),
            oidc_issuer_enabled=True,
            workload_identity_enabled=True,
            key_vault_secrets_provider=KubernetesClusterKeyVaultSecretsProvider(
                secret_rotation_enabled=True, secret_rotation_interval="2m"
            ),
            azure_policy_enabled=True,
            # AGIC: AKS creates an Application Gateway (Standard_v2) in this subnet and runs the controller that
            # serves the `azure-application-gateway` ingress class.
            ingress_application_gateway=KubernetesClusterIngressApplicationGateway(
                subnet_id=application_gateway_subnet_id
            )
            if application_gateway_subnet_id
            else None,
            oms_agent=KubernetesClusterOmsAgent(
                log_analytics_workspace_id=self.logs.id, msi_auth_for_monitoring_enabled=True
            ),
            disk_encryption_set_id=self.disk_encryption.encryption_set_id,
            network_profile=KubernetesClusterNetworkProfile(
                network_plugin="azure",
                network_plugin_mode="overlay",
                network_data_plane="cilium",
                network_policy="cilium",
                pod_cidr=settings.network.pod_cidr,
                service_cidr=str(service_cidr),
                dns_service_ip=str(service_cidr[10]),
                load_balancer_sku="standard",
                outbound_type="loadBalancer",
            ),
            default_node_pool=KubernetesClusterDefaultNodePool(
                temporary_name_for_rotation=f"{system_pool.role}tmp",
                upgrade_settings=KubernetesClusterDefaultNodePoolUpgradeSettings(max_surge="33%"),
                **pool_settings(system_pool, zones=settings.zones, subnet_id=nodes_subnet_id, tags=tags),
            ),
            automatic_upgrade_channel="patch",
            node_os_upgrade_channel="NodeImage",
            image_cleaner_enabled=True,
            image_cleaner_interval_hours=48,
            lifecycle=TerraformResourceLifecycle(ignore_changes=["default_node_pool[0].node_count"]),
            depends_on=[joins_vnet, reads_encryption_set, self.disk_encryption.key_access],
            tags=tags,
        )
        MonitorDiagnosticSetting(
            self,
            "control-plane-logs",
            name="control-plane",
            target_resource_id=self.cluster.id,
            log_analytics_workspace_id=self.logs.id,
            log_analytics_destination_type="Dedicated",
            enabled_log=[MonitorDiagnosticSettingEnabledLog(category=category) for category in CONTROL_PLANE_LOGS],
        )
        # Whoever deploys the stack administers the cluster through Entra ID (local accounts are off),
        # which is what the Helm provider of the platform release authenticates as.
        RoleAssignment(
            self,
            "deployer-cluster-admin",
            scope=self.cluster.id,
            role_definition_name="Azure Kubernetes Service RBAC Cluster Admin",
            principal_id=client.object_id,
        )
        if application_gateway_subnet_id:
            # The add-on's identity joins the gateway to a subnet of a VNet outside the node resource group.
            RoleAssignment(
                self,
                "agic-network",
                scope=vnet_id,
                role_definition_name="Network Contributor",
                principal_id=self.cluster.ingress_application_gateway.ingress_application_gateway_identity.get(
                    0
                ).object_id,
            )
        self.cluster_id = self.cluster.id
        self.cluster_name = self.cluster.name
        self.oidc_issuer_url = self.cluster.oidc_issuer_url
        kube_config = self.cluster.kube_config.get(0)
        self.connection = ClusterConnection(
            host=kube_config.host,
            cluster_ca_certificate=Fn.base64decode(kube_config.cluster_ca_certificate),
            exec_auth=ExecAuth(
                command="kubelogin", args=("get-token", "--login", "azurecli", "--server-id", AKS_SERVER_APP_ID)
            ),
        )
