"""EKS managed add-ons, and the IAM roles the cluster's add-ons and workloads assume through IRSA.

Managed add-ons: vpc-cni, coredns, kube-proxy, aws-ebs-csi-driver, aws-efs-csi-driver and eks-pod-identity-agent,
each at the default version EKS publishes for the cluster's Kubernetes version. They are created after the node
pools: coredns and the CSI controllers need nodes to become healthy. The CSI drivers' controllers assume their
IRSA roles (ADDON_ROLES); their StorageClasses come from stacks/delivery/storage.py.

Roles (`SERVICE_ACCOUNTS` names who may assume them; the platform release installs the Helm charts of the
load balancer controller and the cluster autoscaler with these service accounts):
EBS CSI controller, AWS Load Balancer Controller, cluster autoscaler, and the platform's workloads, which
read their secrets through the Secrets Store CSI driver's AWS provider; with GitOps delivery, ArgoCD's repo server,
which reads the repository credentials (one secret, outside the workloads' path) the same way; with a Slack or
PagerDuty receiver, Alertmanager, which reads its receivers' secrets (outside the workloads' path) the same way.
"""

import json
from dataclasses import dataclass

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_eks_addon_version import DataAwsEksAddonVersion
from cdktf_cdktf_provider_aws.eks_addon import EksAddon
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

import contract

from ..aws_iam import managed_policy, service_account_trust
from . import aws_policies

ARGOCD_REPO_SERVER = "argocd-repo-server"  # the role made only with GitOps delivery
ALERTMANAGER = "alertmanager"  # the role made only when a receiver reads the secret store
TEMPORAL = "temporal"  # the role made only when the stack has a database whose password Temporal reads
OPTIONAL_ROLES = (ARGOCD_REPO_SERVER, ALERTMANAGER, TEMPORAL)


@dataclass(frozen=True)
class ServiceAccount:
    namespace: str
    name: str


SERVICE_ACCOUNTS = {
    "ebs-csi": ServiceAccount("kube-system", "ebs-csi-controller-sa"),
    "efs-csi": ServiceAccount("kube-system", "efs-csi-controller-sa"),
    "load-balancer-controller": ServiceAccount("kube-system", "aws-load-balancer-controller"),
    "cluster-autoscaler": ServiceAccount("kube-system", "cluster-autoscaler"),
    # Any service account of the platform namespace: each chart names its own.
    "workloads": ServiceAccount(contract.PLATFORM_NAMESPACE, "*"),
    ARGOCD_REPO_SERVER: ServiceAccount(contract.ARGOCD_NAMESPACE, contract.ARGOCD_REPO_SERVER_ACCOUNT),
    ALERTMANAGER: ServiceAccount(contract.MONITORING_NAMESPACE, contract.ALERTMANAGER_ACCOUNT),
    TEMPORAL: ServiceAccount(contract.TEMPORAL_NAMESPACE, contract.TEMPORAL_ACCOUNT),
}
# Roles whose permissions AWS publishes as a managed policy; the others get the inline documents below.
MANAGED_POLICIES = {
    "ebs-csi": "service-role/AmazonEBSCSIDriverPolicy",
    "efs-csi": "service-role/AmazonEFSCSIDriverPolicy",
}
MANAGED_ADDONS = (
    "vpc-cni",
    "kube-proxy",
    "coredns",
    "eks-pod-identity-agent",
    "aws-ebs-csi-driver",
    "aws-efs-csi-driver",
)
# Managed add-ons whose controller calls AWS APIs: the role (of SERVICE_ACCOUNTS) it assumes.
ADDON_ROLES = {"aws-ebs-csi-driver": "ebs-csi", "aws-efs-csi-driver": "efs-csi"}
# Add-on settings (the add-on's configuration schema: `aws eks describe-addon-configuration`). The VPC CNI enforces
# NetworkPolicies only with its network policy agent on: without it, every policy the charts ship is ignored on EKS.
ADDON_CONFIGURATION = {"vpc-cni": {"enableNetworkPolicy": "true"}}


class EksAddons(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cluster_name: str,
        kubernetes_version: str,
        region: str,
        oidc_provider_arn: str,
        oidc_issuer_host: str,
        secrets_prefix: str,
        after: list[ITerraformDependable],
        argocd_repository_secret: str | None = None,
        alertmanager_secrets: tuple[str, ...] = (),
        temporal_secret: tuple[str, str] | None = None,
    ):
        """`argocd_repository_secret`: the Secrets Manager secret ArgoCD's repo server reads (GitOps delivery);
        None makes no role for it. `alertmanager_secrets`: those Alertmanager's receivers read; none, no role.
        `temporal_secret`: (ARN, KMS key ARN) of the database password RDS keeps for Temporal; None, no role."""
        super().__init__(scope, id_)
        account = DataAwsCallerIdentity(self, "account")
        inline_policies = {
            "load-balancer-controller": aws_policies.load_balancer_controller(cluster_name),
            "cluster-autoscaler": aws_policies.cluster_autoscaler(cluster_name),
            "workloads": aws_policies.workload_secrets(
                region=region, account_id=account.account_id, prefix=secrets_prefix
            ),
        }
        if argocd_repository_secret:
            inline_policies[ARGOCD_REPO_SERVER] = aws_policies.named_secrets(
                region=region, account_id=account.account_id, names=(argocd_repository_secret,)
            )
        if alertmanager_secrets:
            inline_policies[ALERTMANAGER] = aws_policies.named_secrets(
                region=region, account_id=account.account_id, names=alertmanager_secrets
            )
        if temporal_secret:
            inline_policies[TEMPORAL] = aws_policies.secret_by_arn(*temporal_secret)
        self.role_arns: dict[str, str] = {}
        for role_name, service_account in SERVICE_ACCOUNTS.items():
            if role_name in OPTIONAL_ROLES and role_name not in inline_policies:
                continue
            role = IamRole(
                self,
                f"{role_name}-role",
                name=f"{cluster_name}-{role_name}",
                assume_role_policy=service_account_trust(
                    oidc_provider_arn=oidc_provider_arn,
                    issuer_host=oidc_issuer_host,
                    namespace=service_account.namespace,
                    service_account=service_account.name,
                ),
            )
            if role_name in MANAGED_POLICIES:
                IamRolePolicyAttachment(
                    self, f"{role_name}-policy", role=role.name, policy_arn=managed_policy(MANAGED_POLICIES[role_name])
                )
            else:
                IamRolePolicy(
                    self, f"{role_name}-policy", role=role.name, name=role_name, policy=inline_policies[role_name]
                )
            self.role_arns[role_name] = role.arn

        self.addons = {}
        for addon in MANAGED_ADDONS:
            version = DataAwsEksAddonVersion(
                self, f"{addon}-version", addon_name=addon, kubernetes_version=kubernetes_version, most_recent=False
            )
            self.addons[addon] = EksAddon(
                self,
                addon,
                cluster_name=cluster_name,
                addon_name=addon,
                addon_version=version.version,
                # Take over the copies EKS bootstrapped; keep local edits on later upgrades.
                resolve_conflicts_on_create="OVERWRITE",
                resolve_conflicts_on_update="PRESERVE",
                service_account_role_arn=self.role_arns[ADDON_ROLES[addon]] if addon in ADDON_ROLES else None,
                configuration_values=json.dumps(ADDON_CONFIGURATION[addon]) if addon in ADDON_CONFIGURATION else None,
                depends_on=after,
            )
