"""ArgoCD's repository credentials come from the cloud's secret store (stacks/delivery/argocd_repository.py): the repo
server mounts a SecretProviderClass that mirrors them into a Secret labelled as an ArgoCD repository, and reads them
with an identity of its own that may read nothing else; a GitOps cloud stack without that identity stops at synth."""

import re

import pytest
import yaml
from cdktf import TerraformOutput
from cdktf_cdktf_provider_azurerm.federated_identity_credential import FederatedIdentityCredential
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault
from cdktf_cdktf_provider_azurerm.private_endpoint import PrivateEndpoint
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity

import contract
from deliverykit import FACTS, eks_addons, has_store_reader_role, store_reader_role
from stacks.delivery.argocd_repository import PROVIDER_CLASS, REPOSITORY_KEYS, REPOSITORY_SECRET, aws_repository_secret
from stacks.delivery.azure import AzureWorkloadIdentity
from stacks.delivery.azure_vault import vault_name
from stacks.delivery.environment_values import aws_secrets_path
from stacks.delivery.facts import ClusterFacts
from stacks.delivery.gitops import GitOps
from stacks.environments import ENVIRONMENTS, Cloud, ConfigError, Delivery
from stacks.managed_addons.aws import ARGOCD_REPO_SERVER
from synthkit import construct_json
from upstreamkit import release_values

GITOPS_CLOUDS = {
    cloud: next(name for name, env in ENVIRONMENTS.items() if env.cloud is cloud and env.delivery is Delivery.GITOPS)
    for cloud in (Cloud.AWS, Cloud.AZURE)
}


def argocd_values(name: str) -> dict:
    return release_values(name, "argo-cd")


def provider_class(name: str) -> dict:
    (found,) = [o for o in argocd_values(name)["extraObjects"] if o["kind"] == "SecretProviderClass"]
    return found


@pytest.mark.parametrize("cloud", GITOPS_CLOUDS)
def test_the_repo_server_mounts_the_class_that_mirrors_the_credentials_into_an_argocd_repository_secret(cloud):
    name = GITOPS_CLOUDS[cloud]
    spc, repo_server = provider_class(name), argocd_values(name)["repoServer"]
    assert spc["metadata"] == {"name": PROVIDER_CLASS, "namespace": contract.ARGOCD_NAMESPACE}
    assert spc["spec"]["provider"] == cloud.value
    (secret,) = spc["spec"]["secretObjects"]
    assert secret["secretName"] == REPOSITORY_SECRET
    assert secret["labels"] == {"argocd.argoproj.io/secret-type": "repository"}
    assert [d["key"] for d in secret["data"]] == list(REPOSITORY_KEYS) == ["url", "username", "password"]
    (volume,) = repo_server["volumes"]
    assert volume["csi"]["volumeAttributes"] == {"secretProviderClass": PROVIDER_CLASS}
    assert [m["name"] for m in repo_server["volumeMounts"]] == [volume["name"]]
    # The account the cloud identity trusts, annotated with the identity the stack gave.
    assert repo_server["serviceAccount"]["name"] == contract.ARGOCD_REPO_SERVER_ACCOUNT
    assert repo_server["serviceAccount"]["annotations"] == dict(FACTS[cloud].repo_server.annotations)


def test_on_aws_one_secrets_manager_secret_outside_the_workloads_path_holds_the_three_keys():
    environment = ENVIRONMENTS[GITOPS_CLOUDS[Cloud.AWS]]
    parameters = provider_class(environment.name)["spec"]["parameters"]
    assert parameters["region"] == environment.region
    (item,) = yaml.safe_load(parameters["objects"])
    assert item["objectName"] == aws_repository_secret(environment) == "voiceplat/argocd/prod/repository"
    assert {(p["path"], p["objectAlias"]) for p in item["jmesPath"]} == {(k, k) for k in REPOSITORY_KEYS}
    assert not item["objectName"].startswith(aws_secrets_path(environment) + "/")


def test_on_azure_three_key_vault_secrets_are_read_with_the_repo_servers_own_identity():
    parameters = provider_class(GITOPS_CLOUDS[Cloud.AZURE])["spec"]["parameters"]
    identity = FACTS[Cloud.AZURE].repo_server.parameters
    assert {k: parameters[k] for k in identity} == dict(identity) and parameters["usePodIdentity"] == "false"
    # The provider reads `objects` as YAML: an array of YAML documents, one per secret.
    items = [yaml.safe_load(item) for item in yaml.safe_load(parameters["objects"])["array"]]
    assert {(i["objectName"], i["objectAlias"], i["objectType"]) for i in items} == {
        ("argocd-repository-url", "url", "secret"),
        ("argocd-repository-username", "username", "secret"),
        ("argocd-repository-password", "password", "secret"),
    }


def test_a_gitops_cloud_stack_that_gives_the_repo_server_no_identity_stops_at_synth():
    environment = ENVIRONMENTS[GITOPS_CLOUDS[Cloud.AWS]]

    def build(stack):
        from stacks.delivery.platform_charts import PlatformNamespace

        GitOps(
            stack,
            "gitops",
            environment=environment,
            namespace=PlatformNamespace(stack, "ns", depends_on=[]),
            cluster_values={},
            overrides={},
            repo_server=ClusterFacts().repo_server,
            after=[],
        )

    with pytest.raises(ConfigError, match=r"repo server no identity.*ClusterFacts\(repo_server="):
        construct_json(build)


def test_on_aws_the_repo_servers_role_trusts_its_account_and_reads_that_one_secret_only():
    addons = eks_addons(argocd_repository_secret="voiceplat/argocd/prod/repository")
    subject, statement = store_reader_role(addons, ARGOCD_REPO_SERVER)
    assert subject == f"system:serviceaccount:{contract.ARGOCD_NAMESPACE}:{contract.ARGOCD_REPO_SERVER_ACCOUNT}"
    assert statement["Action"] == ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    (resource,) = statement["Resource"]
    assert resource.endswith(":secret:voiceplat/argocd/prod/repository-??????")


def test_a_helm_delivered_aws_environment_gets_no_repo_server_role():
    assert not has_store_reader_role(eks_addons(), ARGOCD_REPO_SERVER)


def azure_identity(name: str):
    """The construct synthesized alone; with GitOps the output `repo_server_vault` resolves the vault the repo
    server's SecretProviderClass names."""
    environment = ENVIRONMENTS[name]

    def build(stack):
        identity = AzureWorkloadIdentity(
            stack,
            "identity",
            environment=environment,
            resource_group_name="rg",
            vnet_id="vnet",
            subnet_id="subnet",
            oidc_issuer_url="https://issuer.example",
            tags={},
        )
        if identity.repo_server is not None:
            TerraformOutput(stack, "repo_server_vault", value=identity.repo_server.parameters["keyvaultName"])
        return identity

    return construct_json(build)


def test_on_azure_the_repo_server_reads_a_private_vault_of_its_own_that_the_workloads_identity_cannot_read():
    synth = azure_identity(GITOPS_CLOUDS[Cloud.AZURE])
    identities = {key: i["name"] for key, i in synth.doc["resource"][UserAssignedIdentity.TF_RESOURCE_TYPE].items()}
    vaults = synth.doc["resource"][KeyVault.TF_RESOURCE_TYPE]
    (argocd_identity,) = [key for key, name in identities.items() if name.endswith("-argocd")]
    (argocd_vault,) = [key for key, vault in vaults.items() if "argocd" in vault["name"]]
    reads = {}  # principal -> the vaults it may read secrets of
    for assignment in synth.resources(RoleAssignment.TF_RESOURCE_TYPE):
        assert assignment["role_definition_name"] == "Key Vault Secrets User"
        principal = next(key for key in identities if key in assignment["principal_id"])
        reads.setdefault(principal, set()).update(key for key in vaults if key in assignment["scope"])
    assert reads[argocd_identity] == {argocd_vault}, reads
    assert all(argocd_vault not in scopes for principal, scopes in reads.items() if principal != argocd_identity)
    assert vaults[argocd_vault]["public_network_access_enabled"] is False
    (endpoint,) = [
        e
        for e in synth.resources(PrivateEndpoint.TF_RESOURCE_TYPE)
        if argocd_vault in e["private_service_connection"]["private_connection_resource_id"]
    ]
    assert endpoint["private_service_connection"]["subresource_names"] == ["vault"]
    assert synth.doc["output"]["repo_server_vault"]["value"] == f"${{{KeyVault.TF_RESOURCE_TYPE}.{argocd_vault}.name}}"
    (federated,) = [
        f for f in synth.resources(FederatedIdentityCredential.TF_RESOURCE_TYPE) if argocd_identity in f["parent_id"]
    ]
    assert (
        federated["subject"]
        == f"system:serviceaccount:{contract.ARGOCD_NAMESPACE}:{contract.ARGOCD_REPO_SERVER_ACCOUNT}"
    )


def test_every_azure_environments_vaults_have_valid_distinct_names():
    names = [
        vault_name(*parts)
        for name, env in ENVIRONMENTS.items()
        if env.cloud is Cloud.AZURE
        for parts in ((name,), ("argocd", name), ("alerts", name))
    ]
    assert len(set(names)) == len(names), names
    # Key Vault: 3-24 characters, a letter first, letters, digits and single hyphens, no hyphen last.
    assert all(re.fullmatch(r"[a-z](?!.*--)[a-z0-9-]{1,22}[a-z0-9]", n) for n in names), names


def test_a_helm_delivered_azure_environment_gets_no_repo_server_identity():
    name = next(n for n, e in ENVIRONMENTS.items() if e.cloud is Cloud.AZURE and e.delivery is Delivery.HELM)
    synth = azure_identity(name)
    assert not [i for i in synth.resources(UserAssignedIdentity.TF_RESOURCE_TYPE) if i["name"].endswith("-argocd")]
    assert not [v for v in synth.resources(KeyVault.TF_RESOURCE_TYPE) if "argocd" in v["name"]]
