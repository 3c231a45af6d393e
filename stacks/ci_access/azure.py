"""Azure side of CI access: user-assigned identities federated with GitHub Actions' tokens, no client secret.

The deploy identity may manage the subscription's resources and the role assignments the stack creates
(Key Vault readers); the plan identity only reads. azure/login takes their client IDs with the tenant and
subscription IDs this construct also exposes. Both read and lock the state blobs (stacks/environments/state.py):
Storage Blob Data Contributor on their environment's state container, the data-plane role the azurerm backend's
Entra ID auth needs to read, lease (lock) and write a blob; Reader and Contributor are control-plane roles and give
none of that.
"""

from cdktf_cdktf_provider_azurerm.data_azurerm_client_config import DataAzurermClientConfig
from cdktf_cdktf_provider_azurerm.federated_identity_credential import FederatedIdentityCredential
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.role_definition import RoleDefinition, RoleDefinitionPermissions
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity
from constructs import Construct

from ..environments.state import AzureState
from . import GITHUB_OIDC_ISSUER, deploy_subject, plan_subject

TOKEN_AUDIENCE = "api://AzureADTokenExchange"  # what azure/login asks GitHub to put in `aud`
# Contributor and RBAC Administrator: the stack's resources and its role assignments (Key Vault readers); AKS RBAC
# Cluster Admin: the platform's Helm releases (local accounts are off, so Entra ID roles are the way in).
DEPLOY_ROLES = ("Contributor", "Role Based Access Control Administrator", "Azure Kubernetes Service RBAC Cluster Admin")
PLAN_ROLES = ("Reader",)
# Refreshing Helm releases reads their Secrets, which no built-in AKS reader role grants: a role of its own.
PLAN_CLUSTER_READ = ("Microsoft.ContainerService/managedClusters/*/read",)
STATE_ROLE = "Storage Blob Data Contributor"


class GitHubActionsIdentities(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        repository: str,
        environment: str,
        location: str,
        resource_group_name: str,
        tags: dict[str, str],
        state: AzureState,
    ):
        super().__init__(scope, id_)
        client = DataAzurermClientConfig(self, "client")
        self.tenant_id, self.subscription_id = client.tenant_id, client.subscription_id
        scope_id = f"/subscriptions/{client.subscription_id}"
        common = {"location": location, "resource_group_name": resource_group_name, "tags": tags, "scope": scope_id}
        self.deploy = self._identity(
            f"id-{name}-ci-deploy", deploy_subject(repository, environment), DEPLOY_ROLES, **common
        )
        self.plan = self._identity(f"id-{name}-ci-plan", plan_subject(repository), PLAN_ROLES, **common)
        cluster_read = RoleDefinition(
            self,
            "plan-cluster-read",
            name=f"{name} CI plan: cluster read",
            scope=scope_id,
            description="Reads every object of the environment's AKS cluster, Secrets "
            "included, to refresh Helm releases in cdktf diff",
            permissions=[RoleDefinitionPermissions(data_actions=list(PLAN_CLUSTER_READ))],
        )
        RoleAssignment(
            self,
            "plan-cluster-read-assignment",
            scope=scope_id,
            role_definition_id=cluster_read.role_definition_resource_id,
            principal_id=self.plan.principal_id,
        )
        # The store is in the environments' subscription: the state-azure stack is deployed there (stacks/state/).
        for label, identity in (("deploy", self.deploy), ("plan", self.plan)):
            RoleAssignment(
                self,
                f"{label}-state",
                scope=state.container_id(client.subscription_id, environment),
                role_definition_name=STATE_ROLE,
                principal_id=identity.principal_id,
            )

    def _identity(
        self,
        identity_name: str,
        subject: str,
        roles: tuple[str, ...],
        *,
        location: str,
        resource_group_name: str,
        tags: dict[str, str],
        scope: str,
    ) -> UserAssignedIdentity:
        identity = UserAssignedIdentity(
            self,
            identity_name,
            name=identity_name,
            location=location,
            resource_group_name=resource_group_name,
            tags=tags,
        )
        FederatedIdentityCredential(
            self,
            f"{identity_name}-github",
            name="github-actions",
            resource_group_name=resource_group_name,
            parent_id=identity.id,
            issuer=GITHUB_OIDC_ISSUER,
            audience=[TOKEN_AUDIENCE],
            subject=subject,
        )
        for role in roles:
            RoleAssignment(
                self,
                f"{identity_name}-{role}",
                scope=scope,
                role_definition_name=role,
                principal_id=identity.principal_id,
            )
        return identity
