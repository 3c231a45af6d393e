"""Helpers of the delivery tests: the platform delivery of one environment, synthesized in a bare stack.

Cloud facts are plain strings here (what the cloud stacks pass as tokens), so the generated values are
readable YAML in the synthesized JSON.
"""

import functools
import json
import re

import yaml
from cdktf import TerraformResource

from stacks.connection import ClusterConnection, ExecAuth
from stacks.delivery.facts import ClusterFacts, StoreReader, TemporalDatabase
from stacks.delivery.platform import PlatformDelivery
from stacks.environments import ENVIRONMENTS, Cloud
from stacks.managed_addons.aws import EksAddons
from synthkit import Synth, construct_json

FACTS = {
    Cloud.LOCAL: ClusterFacts(),
    Cloud.AWS: ClusterFacts(
        chart_values={
            "global": {"image": {"registry": "123456789012.dkr.ecr.eu-west-1.amazonaws.com"}},
            "defaults": {
                "serviceAccount": {
                    "annotations": {"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/workloads"}
                }
            },
        },
        addon_values={"aws-load-balancer-controller": {"clusterName": "voiceplat-prod-eu", "vpcId": "vpc-1"}},
        storage={"efs_file_system_id": "fs-0123456789abcdef0"},
        repo_server=StoreReader(
            annotations={"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/argocd-repo-server"}
        ),
        alertmanager=StoreReader(
            annotations={"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/alertmanager"}
        ),
        temporal=TemporalDatabase(
            host="temporal.abc.eu-west-1.rds.amazonaws.com",
            verify_host=False,
            max_connections=20,
            reader=StoreReader(annotations={"eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/temporal"}),
            secret_arn="arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf",
        ),
    ),
    Cloud.AZURE: ClusterFacts(
        chart_values={"global": {"secrets": {"azure": {"tenantId": "t", "clientId": "c", "keyvaultName": "kv"}}}},
        repo_server=StoreReader(
            annotations={"azure.workload.identity/client-id": "argocd-c"},
            parameters={"clientID": "argocd-c", "keyvaultName": "kv", "tenantId": "t"},
        ),
        alertmanager=StoreReader(
            annotations={"azure.workload.identity/client-id": "alerts-c"},
            parameters={"clientID": "alerts-c", "keyvaultName": "kv-alerts", "tenantId": "t"},
        ),
        temporal=TemporalDatabase(
            host="psql.private.postgres.database.azure.com", verify_host=True, max_connections=20, password="stand-in"
        ),
    ),
}
CLUSTER_READY = "cluster-ready"


@functools.cache
def delivery(name: str) -> Synth:
    """The delivery of environment `name` after a stand-in `terraform_data` the cluster is ready with."""
    environment = ENVIRONMENTS[name]

    def build(stack):
        ready = TerraformResource(stack, CLUSTER_READY, terraform_resource_type="terraform_data")
        if environment.cloud is Cloud.LOCAL:
            connection = ClusterConnection(config_path="~/.kube/config", config_context="kind-voiceplat-local")
        else:
            connection = ClusterConnection(
                host="https://cluster.example",
                cluster_ca_certificate="PEM",
                exec_auth=ExecAuth(command="aws", args=("eks", "get-token")),
            )
        return PlatformDelivery(
            stack,
            "platform",
            environment=environment,
            connection=connection,
            cluster_ready=[ready],
            facts=FACTS[environment.cloud],
        )

    return construct_json(build)


def releases(synth: Synth) -> dict[str, dict]:
    """helm_release by release name."""
    return {release["name"]: release for release in synth.resources("helm_release")}


def sensitive(release: dict) -> dict[str, str]:
    """A release's `set_sensitive` entries, name -> value (a reference)."""
    return {entry["name"]: entry["value"] for entry in release.get("set_sensitive") or []}


def cluster_objects(synth: Synth, resource_type: str) -> dict[str, dict]:
    """The Kubernetes-provider resources of one type (kubernetes_secret_v1, ...) by the object's name."""
    return {body["metadata"]["name"]: body for body in synth.resources(resource_type)}


def secrets(synth: Synth) -> dict[str, dict]:
    return cluster_objects(synth, "kubernetes_secret_v1")


def namespaces(synth: Synth) -> dict[str, dict]:
    return cluster_objects(synth, "kubernetes_namespace_v1")


def address(synth: Synth, resource_type: str, name: str) -> str:
    """`type.logical_id` of the release (or resource, or Kubernetes object) called `name`, as depends_on spells
    it."""
    for logical_id, body in synth.doc["resource"][resource_type].items():
        if name in (body.get("name"), body.get("metadata", {}).get("name")) or logical_id.startswith(name):
            return f"{resource_type}.{logical_id}"
    raise KeyError(name)


def ready_address(synth: Synth) -> str:
    """The address of the stand-in the cluster is ready with."""
    return next(f"terraform_data.{k}" for k in synth.doc["resource"]["terraform_data"] if k.startswith(CLUSTER_READY))


_FILE = re.compile(r'^\$\{file\("(?P<path>[^"]+)"\)\}$')


def file_values(release: dict) -> list[str]:
    """Paths of the values files a release reads, in order."""
    return [m["path"] for m in (_FILE.match(v) for v in release.get("values", [])) if m]


def documents(release: dict) -> list[dict]:
    """The generated (inline YAML) values documents of a release, parsed."""
    return [
        yaml.safe_load(v.replace("$${", "${").replace("%%{", "%{"))
        for v in release.get("values", [])
        if not _FILE.match(v)
    ]


EKS_ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"


def eks_addons(**store_readers) -> Synth:
    """The EKS add-ons of cluster `c`, given the store entries of its readers (`alertmanager_secrets=...`,
    `argocd_repository_secret=...`)."""
    return construct_json(
        lambda stack: EksAddons(
            stack,
            "addons",
            cluster_name="c",
            kubernetes_version="1.35",
            region="eu-west-1",
            oidc_provider_arn="arn:aws:iam::111122223333:oidc-provider/" + EKS_ISSUER,
            oidc_issuer_host=EKS_ISSUER,
            secrets_prefix="voiceplat/prod",
            after=[],
            **store_readers,
        )
    )


def store_reader_statements(addons: Synth, reader: str) -> tuple[str, list[dict]]:
    """The ServiceAccount the IRSA role of a store reader of cluster `c` trusts, and the statements of its policy."""
    (role,) = [r for r in addons.resources("aws_iam_role") if r["name"] == f"c-{reader}"]
    trust = json.loads(role["assume_role_policy"])["Statement"][0]["Condition"]["StringEquals"]
    (policy,) = [p for p in addons.resources("aws_iam_role_policy") if p["name"] == reader]
    return trust[f"{EKS_ISSUER}:sub"], json.loads(policy["policy"])["Statement"]


def store_reader_role(addons: Synth, reader: str) -> tuple[str, dict]:
    """The ServiceAccount the IRSA role of a store reader of cluster `c` trusts, and the one statement of its policy."""
    subject, (statement,) = store_reader_statements(addons, reader)
    return subject, statement


def has_store_reader_role(addons: Synth, reader: str) -> bool:
    return any(r["name"] == f"c-{reader}" for r in addons.resources("aws_iam_role"))
