"""GitHubActionsIdentities: identities federated with GitHub Actions' tokens, each for one token subject."""

import pytest
from cdktf_cdktf_provider_azurerm.federated_identity_credential import FederatedIdentityCredential
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.role_definition import RoleDefinition

from stacks.ci_access.azure import GitHubActionsIdentities
from stacks.environments.catalog import AZURE_STATE
from synthkit import construct_json

NAME = "voiceplat-prod-eu-az"


@pytest.fixture(scope="module")
def identities():
    return construct_json(
        lambda stack: GitHubActionsIdentities(
            stack,
            "ci",
            name=NAME,
            repository="octo/infra",
            environment="prod-eu-az",
            location="westeurope",
            resource_group_name="rg",
            tags={},
            state=AZURE_STATE,
        )
    )


def subjects(identities) -> dict[str, str]:
    """Which identity (by the reference in parent_id) each federated subject logs in as."""
    return {
        credential["subject"]: credential["parent_id"]
        for credential in identities.resources(FederatedIdentityCredential.TF_RESOURCE_TYPE)
    }


def test_the_deploy_identity_federates_jobs_of_the_repository_in_the_environment(identities):
    assert f"{NAME}-ci-deploy" in subjects(identities)["repo:octo/infra:environment:prod-eu-az"]


def test_the_plan_identity_federates_pull_request_jobs_of_the_repository(identities):
    assert f"{NAME}-ci-plan" in subjects(identities)["repo:octo/infra:pull_request"]


def test_tokens_come_from_github_for_azure_ad_exchange(identities):
    assert identities.has(
        FederatedIdentityCredential.TF_RESOURCE_TYPE,
        {"issuer": "https://token.actions.githubusercontent.com", "audience": ["api://AzureADTokenExchange"]},
    )


def assignments(identities, label: str) -> list[dict]:
    return [
        assignment
        for assignment in identities.resources(RoleAssignment.TF_RESOURCE_TYPE)
        if f"ci-{label}" in assignment["principal_id"]
    ]


def test_the_plan_identity_may_only_read_apart_from_the_state(identities):
    roles = [assignment.get("role_definition_name") for assignment in assignments(identities, "plan")]
    # None: the cluster-read role below, by its ID; the state's role: the test below
    assert roles == ["Reader", None, "Storage Blob Data Contributor"]


def test_the_plan_identity_reads_the_cluster_without_changing_it(identities):
    (definition,) = identities.resources(RoleDefinition.TF_RESOURCE_TYPE)
    assert definition["permissions"] == [{"data_actions": ["Microsoft.ContainerService/managedClusters/*/read"]}]


@pytest.mark.parametrize("label", ["plan", "deploy"])
def test_each_identity_reads_locks_and_writes_state_blobs_in_its_environments_state_container_only(identities, label):
    (state,) = [
        a for a in assignments(identities, label) if a.get("role_definition_name") == "Storage Blob Data Contributor"
    ]
    (client,) = identities.doc["data"]["azurerm_client_config"]
    subscription = f"${{data.azurerm_client_config.{client}.subscription_id}}"
    assert state["scope"] == (
        f"/subscriptions/{subscription}/resourceGroups/{AZURE_STATE.resource_group}/providers/"
        f"Microsoft.Storage/storageAccounts/{AZURE_STATE.storage_account}/blobServices/default/"
        "containers/tfstate-prod-eu-az"
    )  # not the container of any other environment
