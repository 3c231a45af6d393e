"""The environment's Azure Container Registry: Premium (zone redundant, untagged manifests purged), no admin user,
no anonymous pull; the cluster's kubelet identity may pull. ACR has no registry-wide immutable tags: the release
workflow locks each pushed tag (`az acr repository update --write-enabled false`), and images are scanned on push
by Microsoft Defender for Containers, a subscription setting (docs/cloud-runbook.md)."""

import re

from cdktf_cdktf_provider_azurerm.container_registry import ContainerRegistry, ContainerRegistryGeoreplications
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from constructs import Construct


def registry_name(environment: str) -> str:
    """5-50 letters and digits, unique across Azure."""
    return ("acrvoiceplat" + re.sub(r"[^a-z0-9]", "", environment))[:50]


def login_server(name: str) -> str:
    return f"{name}.azurecr.io"


class AcrRegistry(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: str,
        location: str,
        resource_group_name: str,
        kubelet_object_id: str,  # "" for none: a global entry grants each region's kubelet itself
        tags: dict[str, str],
        replicas: tuple[str, ...] = (),
    ):
        """`replicas`: the other locations a geo-replica serves pulls in (a global entry's release registry)."""
        super().__init__(scope, id_)
        self.acr = ContainerRegistry(
            self,
            "registry",
            name=registry_name(environment),
            location=location,
            resource_group_name=resource_group_name,
            sku="Premium",
            admin_enabled=False,
            anonymous_pull_enabled=False,
            zone_redundancy_enabled=True,
            retention_policy_in_days=14,
            georeplications=[
                ContainerRegistryGeoreplications(location=location, zone_redundancy_enabled=True, tags=tags)
                for location in replicas
            ]
            or None,
            tags=tags,
        )
        if kubelet_object_id:
            RoleAssignment(
                self, "kubelet-pull", scope=self.acr.id, role_definition_name="AcrPull", principal_id=kubelet_object_id
            )
        self.registry = self.acr.login_server
