"""ArgoCD's credentials for the repository it syncs (environment.git), from the cloud's secret store: never in git,
chart values or Terraform state.

ArgoCD's repo server mounts a Secrets Store CSI volume of the SecretProviderClass below (an extra object of the
argo-cd release); the driver mirrors the store's values into the Secret REPOSITORY_SECRET, labelled as an ArgoCD
repository, which ArgoCD reads. The Secret exists while a repo-server pod mounts the volume, and a rotation in the
store reaches it within the driver's poll interval (values/secrets-store-csi-driver.yaml). What the store holds,
set once per tier before the first deploy (docs/cloud-runbook.md):

    AWS Secrets Manager  <secretPrefix>/argocd/<tier>/repository   JSON {"url": ..., "username": ..., "password": ...}
    Azure Key Vault      kv-argocd-<env>: argocd-repository-url, argocd-repository-username, argocd-repository-password

`url` is the environments' git.repository; on GitHub the password is a token that may read the repository's contents.
The repo server reads them with an identity of its own (StoreReader, from the cloud stack): an IRSA role that
may read that one secret (stacks/managed_addons/aws.py), or a workload identity that reads a Key Vault of its own,
`kv-argocd-<env>`, holding those three secrets (stacks/delivery/azure.py); the platform's workloads' identity is not it
and cannot read them.

A Terraform data source reading the secret was rejected: the pull-request plan role would need to read the token,
and the token would land in state.
"""

import yaml

import contract

from ..environments import Cloud, Environment
from .environment_values import aws_secret_prefix
from .facts import StoreReader
from .store_class import secret_provider_class

REPO_SERVER_ACCOUNT = contract.ARGOCD_REPO_SERVER_ACCOUNT  # named, so the cloud identities can trust it
REPOSITORY_SECRET = "voiceplat-repository"
PROVIDER_CLASS = "argocd-repository"
REPOSITORY_KEYS = ("url", "username", "password")
MOUNT = "/mnt/repository-credentials"  # the driver needs a mount to sync; ArgoCD reads the Secret, not the files
AZURE_SECRETS = {key: f"argocd-repository-{key}" for key in REPOSITORY_KEYS}


def aws_repository_secret(environment: Environment) -> str:
    """The Secrets Manager secret of a tier's repository credentials: outside the workloads' path
    (environment_values.aws_secrets_path), so their role cannot read it."""
    return f"{aws_secret_prefix()}/argocd/{environment.tier.value}/repository"


def _objects(environment: Environment) -> str:
    if environment.cloud is Cloud.AWS:
        return yaml.safe_dump(
            [
                {
                    "objectName": aws_repository_secret(environment),
                    "objectType": "secretsmanager",
                    "jmesPath": [{"path": key, "objectAlias": key} for key in REPOSITORY_KEYS],
                }
            ]
        )
    return yaml.safe_dump(
        {
            "array": [
                yaml.safe_dump({"objectName": name, "objectType": "secret", "objectAlias": key})
                for key, name in AZURE_SECRETS.items()
            ]
        }
    )


def provider_class(environment: Environment, identity: StoreReader) -> dict:
    """The SecretProviderClass mirroring the store's credentials into the repository Secret ArgoCD reads."""
    return secret_provider_class(
        environment,
        identity,
        name=PROVIDER_CLASS,
        namespace=contract.ARGOCD_NAMESPACE,
        objects=_objects(environment),
        secret_objects=[
            {
                "secretName": REPOSITORY_SECRET,
                "type": "Opaque",
                "labels": {"argocd.argoproj.io/secret-type": "repository"},
                "data": [{"objectName": key, "key": key} for key in REPOSITORY_KEYS],
            }
        ],
    )


def repository_credentials(environment: Environment, identity: StoreReader) -> dict:
    """argo-cd release values: the repo server's account with the identity, its CSI volume, the provider class."""
    volume = "repository-credentials"
    return {
        "repoServer": {
            "serviceAccount": {"create": True, "name": REPO_SERVER_ACCOUNT, "annotations": dict(identity.annotations)},
            "volumes": [
                {
                    "name": volume,
                    "csi": {
                        "driver": "secrets-store.csi.k8s.io",
                        "readOnly": True,
                        "volumeAttributes": {"secretProviderClass": PROVIDER_CLASS},
                    },
                }
            ],
            "volumeMounts": [{"name": volume, "mountPath": MOUNT, "readOnly": True}],
        },
        "extraObjects": [provider_class(environment, identity)],
    }
