"""An Azure environment: resource group and VNet, AKS with its system pool, and the other node pools."""

from cdktf_cdktf_provider_azurerm.provider import AzurermProvider, AzurermProviderFeatures
from constructs import Construct

import contract

from ..ci_access.azure import GitHubActionsIdentities
from ..cluster.azure import AksCluster
from ..database.azure import FlexiblePostgres
from ..delivery.azure import AzureWorkloadIdentity, azure_cluster_facts
from ..delivery.facts import TemporalDatabase
from ..environments import Environment
from ..environments.catalog import global_entry_of, runner_of
from ..environments.clouds import AGIC_CLASS
from ..network.azure import AzureNetwork
from ..node_pools.azure import AksNodePool
from ..registry.azure import AcrRegistry, login_server, registry_name
from ..runner.path_azure import AzureRunnerPath
from .base import EnvironmentStack


class AzureEnvironmentStack(EnvironmentStack):
    def __init__(self, scope: Construct, *, environment: Environment):
        super().__init__(scope, environment=environment)
        settings = environment.cluster
        name = environment.cluster_name
        tags = dict(environment.tags)
        AzurermProvider(self, "azurerm", features=[AzurermProviderFeatures()])
        network = AzureNetwork(
            self, "network", name=name, location=environment.region, network=settings.network, tags=tags
        )
        cluster = AksCluster(
            self,
            "cluster",
            name=name,
            location=environment.region,
            resource_group_name=network.resource_group_name,
            settings=settings,
            system_pool=settings.pool(contract.SYSTEM_POOL.name),
            nodes_subnet_id=network.nodes_subnet_id,
            vnet_id=network.vnet.id,
            tags=tags,
            application_gateway_subnet_id=network.ingress_subnet_id
            if environment.ingress.class_name == AGIC_CLASS
            else None,
        )
        pools = [
            AksNodePool(
                self,
                f"pool-{pool.role}",
                cluster_id=cluster.cluster_id,
                pool=pool,
                zones=settings.zones,
                subnet_id=network.nodes_subnet_id,
                kubernetes_version=settings.kubernetes_version,
                tags=tags,
            )
            for pool in settings.node_pools
            if pool.role != contract.SYSTEM_POOL.name
        ]
        self.connection = cluster.connection
        self.cluster_ready = [cluster.cluster] + [pool.pool for pool in pools]
        if settings.deploy_runner_cidrs:  # a private API server: the runner's path first (stacks/runner/path_azure.py)
            path = AzureRunnerPath(
                self,
                "runner-path",
                name=name,
                runner=runner_of(environment),
                resource_group_name=network.resource_group_name,
                vnet_name=network.vnet.name,
                vnet_id=network.vnet.id,
                cluster=cluster.cluster,
            )
            self.cluster_ready += path.ready
        identity = AzureWorkloadIdentity(
            self,
            "workload-identity",
            environment=environment,
            resource_group_name=network.resource_group_name,
            vnet_id=network.vnet.id,
            subnet_id=network.nodes_subnet_id,
            oidc_issuer_url=cluster.oidc_issuer_url,
            tags=tags,
        )
        entry = global_entry_of(environment)
        if entry:
            # A region of the global entry pulls from the entry's geo-replicated registry, whose replica in this
            # region serves it (stacks/global_entry/azure.py grants the kubelet AcrPull there).
            pulls_from = login_server(registry_name(entry.name))
            self.output("kubelet_object_id", cluster.cluster.kubelet_identity.object_id, "The kubelet's identity")
        else:
            pulls_from = AcrRegistry(
                self,
                "container-registry",
                environment=environment.name,
                location=environment.region,
                resource_group_name=network.resource_group_name,
                kubelet_object_id=cluster.cluster.kubelet_identity.object_id,
                tags=tags,
            ).registry
        database = FlexiblePostgres(
            self,
            "temporal-database",
            name=name,
            database=environment.database,
            location=environment.region,
            resource_group_name=network.resource_group_name,
            vnet_name=network.vnet.name,
            vnet_id=network.vnet.id,
            nodes_subnet=settings.network.private_subnets[0],
            tags=tags,
        )
        temporal = TemporalDatabase(
            host=database.host,
            verify_host=True,  # Flexible Server's certificate chains to DigiCert, among the image's system roots
            max_connections=environment.database.max_connections_per_store,
            password=database.password,
        )
        self.deliver_platform(azure_cluster_facts(identity, registry=pulls_from, temporal=temporal))
        self.output("temporal_database", database.host, "Private DNS name of Temporal's PostgreSQL (Flexible Server)")
        self.output_public_hosts()
        self.output("registry", pulls_from, "ACR login server the charts pull from (push images to it)")
        self.output(
            "secrets_vault",
            identity.vault.name,
            "Key Vault of the platform's secrets (fill it before the "
            "platform's charts install: docs/cloud-runbook.md section 6)",
        )
        if identity.argocd_vault is not None:
            self.output(
                "argocd_vault",
                identity.argocd_vault.name,
                "Key Vault of ArgoCD's repository credentials, read by its repo server only",
            )
        if identity.alerts_vault is not None:
            self.output(
                "alerts_vault",
                identity.alerts_vault.name,
                "Key Vault of the alert receivers' secrets, read "
                "by Alertmanager only (docs/cloud-runbook.md, 'Alert receivers')",
            )
        ci = GitHubActionsIdentities(
            self,
            "ci-access",
            name=name,
            repository=environment.ci_repository,
            environment=environment.name,
            location=environment.region,
            resource_group_name=network.resource_group_name,
            tags=tags,
            state=environment.state,
        )
        self.output(
            "ci_deploy_client_id",
            ci.deploy.client_id,
            f"Identity the GitHub environment {environment.name}'s jobs log in as (variable AZURE_CLIENT_ID)",
        )
        self.output(
            "ci_plan_client_id",
            ci.plan.client_id,
            "Read-only identity of pull-request jobs' cdktf diff (variable AZURE_PLAN_CLIENT_ID)",
        )
        self.output("ci_tenant_id", ci.tenant_id, "Tenant of both identities (variable AZURE_TENANT_ID)")
        self.output(
            "ci_subscription_id", ci.subscription_id, "Subscription they act in (variable AZURE_SUBSCRIPTION_ID)"
        )
        self.output("cluster_name", cluster.cluster_name, "Name of the AKS cluster")
        self.output("resource_group", network.resource_group_name, "Resource group of the environment")
        self.output("oidc_issuer_url", cluster.oidc_issuer_url, "Issuer that workload identities federate with")
