"""What the platform's releases need from an EKS stack: the registry, the roles its service accounts assume
(IRSA, roles from stacks/managed_addons/aws.py), the VPC and the cluster's name. Imported by the AWS stack only."""

from collections.abc import Mapping

from ..environments import Environment
from ..managed_addons.aws import ALERTMANAGER, ARGOCD_REPO_SERVER, SERVICE_ACCOUNTS, TEMPORAL
from .facts import ClusterFacts, StoreReader, TemporalDatabase
from .storage import EFS_FILE_SYSTEM_ID

ROLE_ANNOTATION = "eks.amazonaws.com/role-arn"


def service_account(role: str, role_arns: Mapping[str, str]) -> dict:
    """A chart's serviceAccount block creating the account IRSA trusts for `role`."""
    return {"create": True, "name": SERVICE_ACCOUNTS[role].name, "annotations": {ROLE_ANNOTATION: role_arns[role]}}


def aws_cluster_facts(
    *,
    environment: Environment,
    cluster_name: str,
    vpc_id: str,
    registry: str,
    role_arns: Mapping[str, str],
    efs_file_system_id: str,
    database,
    max_connections: int,
) -> ClusterFacts:
    """`registry`: the environment's ECR prefix (stacks/registry/aws.py), which every chart image is pulled from;
    `database`: Temporal's RdsPostgres (stacks/database/aws.py), whose password Temporal's role reads."""
    return ClusterFacts(
        chart_values={
            "global": {"image": {"registry": registry}},
            "defaults": {"serviceAccount": {"annotations": {ROLE_ANNOTATION: role_arns["workloads"]}}},
        },
        addon_values={
            "aws-load-balancer-controller": {
                "clusterName": cluster_name,
                "region": environment.region,
                "vpcId": vpc_id,
                "serviceAccount": service_account("load-balancer-controller", role_arns),
            },
            "cluster-autoscaler": {
                "autoDiscovery": {"clusterName": cluster_name},
                "awsRegion": environment.region,
                "rbac": {"serviceAccount": service_account("cluster-autoscaler", role_arns)},
            },
        },
        storage={EFS_FILE_SYSTEM_ID: efs_file_system_id},
        repo_server=(
            StoreReader(annotations={ROLE_ANNOTATION: role_arns[ARGOCD_REPO_SERVER]})
            if ARGOCD_REPO_SERVER in role_arns
            else None
        ),
        alertmanager=(
            StoreReader(annotations={ROLE_ANNOTATION: role_arns[ALERTMANAGER]}) if ALERTMANAGER in role_arns else None
        ),
        temporal=TemporalDatabase(
            host=database.host,
            verify_host=False,  # RDS's CA is not among the image's roots: TLS encrypts, rds.force_ssl requires it
            max_connections=max_connections,
            reader=StoreReader(annotations={ROLE_ANNOTATION: role_arns[TEMPORAL]}),
            secret_arn=database.secret_arn,
        ),
    )
