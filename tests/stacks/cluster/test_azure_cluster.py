"""AksCluster: networking, identity and access, secrets, policy, monitoring, encryption, exposure, SLA tier."""

from dataclasses import replace

import pytest
from cdktf_cdktf_provider_azurerm.kubernetes_cluster import KubernetesCluster

import contract
from stacks.cluster.azure import AKS_SERVER_APP_ID, CONTROL_PLANE_LOGS, AksCluster
from stacks.cluster.azure_disk_encryption import key_vault_name
from stacks.environments.catalog import PROD_EU_AZ
from synthkit import construct_json

AKS = KubernetesCluster.TF_RESOURCE_TYPE
SETTINGS = PROD_EU_AZ.cluster


def cluster_of(settings):
    return construct_json(
        lambda stack: AksCluster(
            stack,
            "cluster",
            name=PROD_EU_AZ.cluster_name,
            location="westeurope",
            resource_group_name="rg",
            settings=settings,
            system_pool=settings.pool(contract.SYSTEM_POOL.name),
            nodes_subnet_id="subnet-nodes",
            vnet_id="vnet",
            tags={"project": "voiceplat"},
        )
    )


@pytest.fixture(scope="module")
def prod():
    return cluster_of(SETTINGS)


@pytest.fixture(scope="module")
def exposed():
    """The same cluster with a public endpoint and the free tier, as a preview environment would have it."""
    return cluster_of(replace(SETTINGS, public_api_cidrs=("198.51.100.0/24",), uptime_sla=False))


def test_pods_use_azure_cni_overlay_with_the_environments_ranges(prod):
    assert prod.has(
        AKS,
        {
            "network_profile": {
                "network_plugin": "azure",
                "network_plugin_mode": "overlay",
                "pod_cidr": SETTINGS.network.pod_cidr,
                "service_cidr": SETTINGS.network.service_cidr,
                "dns_service_ip": "172.20.0.10",
            }
        },
    )


def test_network_policy_is_enforced(prod):
    assert prod.has(AKS, {"network_profile": {"network_policy": "cilium"}})


def test_entra_id_rbac_with_local_accounts_off(prod):
    assert prod.has(
        AKS,
        {
            "role_based_access_control_enabled": True,
            "local_account_disabled": True,
            "azure_active_directory_role_based_access_control": {"azure_rbac_enabled": True},
        },
    )


def test_oidc_issuer_and_workload_identity_are_on(prod):
    assert prod.has(AKS, {"oidc_issuer_enabled": True, "workload_identity_enabled": True})


def test_key_vault_secrets_provider_rotates_secrets(prod):
    assert prod.has(AKS, {"key_vault_secrets_provider": {"secret_rotation_enabled": True}})


def test_azure_policy_addon_is_on(prod):
    assert prod.has(AKS, {"azure_policy_enabled": True})


def test_container_insights_report_to_the_clusters_workspace(prod):
    workspace = prod.ref("azurerm_log_analytics_workspace", "id")
    assert prod.has(AKS, {"oms_agent": {"log_analytics_workspace_id": workspace}})


def test_control_plane_logs_go_to_the_workspace(prod):
    setting = prod.one("azurerm_monitor_diagnostic_setting")
    assert {log["category"] for log in setting["enabled_log"]} == set(CONTROL_PLANE_LOGS)


def test_system_pool_encrypts_at_host_and_carries_the_contracts_label(prod):
    assert prod.has(
        AKS,
        {
            "default_node_pool": {
                "name": "system",
                "host_encryption_enabled": True,
                "vm_size": "Standard_D4ps_v5",
                "node_labels": {contract.POOL_LABEL: "system"},
            }
        },
    )


def test_node_disks_use_the_customer_managed_encryption_set(prod):
    assert prod.has(AKS, {"disk_encryption_set_id": prod.ref("azurerm_disk_encryption_set", "id")})


def test_the_disk_key_rotates_and_the_set_follows_it(prod):
    assert prod.has("azurerm_disk_encryption_set", {"auto_key_rotation_enabled": True})
    assert prod.has("azurerm_key_vault_key", {"rotation_policy": {"automatic": {"time_before_expiry": "P30D"}}})


def test_the_key_vault_is_purge_protected_and_uses_rbac(prod):
    assert prod.has(
        "azurerm_key_vault",
        {
            "purge_protection_enabled": True,
            "rbac_authorization_enabled": True,
            "name": key_vault_name(PROD_EU_AZ.cluster_name, "westeurope"),
        },
    )


def test_key_vault_names_fit_azures_limit():
    assert len(key_vault_name("voiceplat-a-very-long-environment-name", "germanywestcentral")) <= 24


def test_production_is_private_on_the_paid_tier(prod):
    cluster = prod.one(AKS)
    assert (cluster["private_cluster_enabled"], cluster["sku_tier"]) == (True, "Standard")
    assert "api_server_access_profile" not in cluster


def test_an_exposed_cluster_limits_its_api_to_the_cidrs(exposed):
    assert exposed.has(
        AKS,
        {"private_cluster_enabled": False, "api_server_access_profile": {"authorized_ip_ranges": ["198.51.100.0/24"]}},
    )


def test_without_an_sla_the_free_tier_is_used(exposed):
    assert exposed.has(AKS, {"sku_tier": "Free"})


def test_connection_gets_entra_tokens_through_kubelogin(prod):
    arguments = prod.construct.connection.provider_arguments()
    assert arguments["exec"]["command"] == "kubelogin"
    assert arguments["exec"]["args"][-2:] == ["--server-id", AKS_SERVER_APP_ID]
    assert {"host", "cluster_ca_certificate", "exec"} == set(arguments)


def test_agic_runs_in_the_ingress_subnet_and_may_join_it_when_the_environment_chooses_it():
    synth = construct_json(
        lambda stack: AksCluster(
            stack,
            "cluster",
            name=PROD_EU_AZ.cluster_name,
            location="westeurope",
            resource_group_name="rg",
            settings=SETTINGS,
            system_pool=SETTINGS.pool(contract.SYSTEM_POOL.name),
            nodes_subnet_id="subnet-nodes",
            vnet_id="vnet",
            tags={},
            application_gateway_subnet_id="subnet-ingress",
        )
    )
    assert synth.has(AKS, {"ingress_application_gateway": {"subnet_id": "subnet-ingress"}})
    assert any(
        "ingress_application_gateway_identity" in a["principal_id"] and a["scope"] == "vnet"
        for a in synth.resources("azurerm_role_assignment")
    )


def test_without_agic_the_cluster_has_no_gateway(prod):
    assert "ingress_application_gateway" not in prod.one(AKS)
