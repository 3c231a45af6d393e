"""EKS control plane: every control-plane log type, KMS envelope encryption of Secrets, a private endpoint
(public access only from `public_api_cidrs`, off when that is empty; the deploy runners' network
`deploy_runner_cidrs` admitted to the private endpoint on 443), access entries for authentication,
and the OIDC provider that IAM roles for service accounts trust."""

from cdktf import Fn
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.eks_cluster import (
    EksCluster as EksClusterResource,
    EksClusterAccessConfig,
    EksClusterEncryptionConfig,
    EksClusterEncryptionConfigProvider,
    EksClusterKubernetesNetworkConfig,
    EksClusterUpgradePolicy,
    EksClusterVpcConfig,
)
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_aws.security_group_rule import SecurityGroupRule
from constructs import Construct

from ..aws_iam import managed_policy, service_trust
from ..connection import ClusterConnection, ExecAuth
from ..environments import ManagedCluster

CONTROL_PLANE_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")


class EksCluster(Construct):
    def __init__(
        self, scope: Construct, id_: str, *, name: str, region: str, settings: ManagedCluster, subnet_ids: list[str]
    ):
        super().__init__(scope, id_)
        self.secrets_key = KmsKey(
            self,
            "secrets-key",
            description=f"Envelope encryption of Kubernetes Secrets in {name}",
            enable_key_rotation=True,
            deletion_window_in_days=30,
        )
        KmsAlias(self, "secrets-key-alias", name=f"alias/{name}-secrets", target_key_id=self.secrets_key.key_id)
        # Created here rather than by EKS, so its retention is managed and it goes away with the stack.
        logs = CloudwatchLogGroup(
            self, "control-plane-logs", name=f"/aws/eks/{name}/cluster", retention_in_days=settings.log_retention_days
        )
        role = IamRole(self, "role", name=f"{name}-cluster", assume_role_policy=service_trust("eks.amazonaws.com"))
        policy = IamRolePolicyAttachment(
            self, "role-policy", role=role.name, policy_arn=managed_policy("AmazonEKSClusterPolicy")
        )
        public = bool(settings.public_api_cidrs)
        self.cluster = EksClusterResource(
            self,
            "cluster",
            name=name,
            version=settings.kubernetes_version,
            role_arn=role.arn,
            vpc_config=EksClusterVpcConfig(
                subnet_ids=subnet_ids,
                endpoint_private_access=True,
                endpoint_public_access=public,
                public_access_cidrs=list(settings.public_api_cidrs) if public else None,
            ),
            enabled_cluster_log_types=list(CONTROL_PLANE_LOGS),
            encryption_config=EksClusterEncryptionConfig(
                resources=["secrets"],
                provider=EksClusterEncryptionConfigProvider(key_arn=self.secrets_key.arn),
            ),
            kubernetes_network_config=EksClusterKubernetesNetworkConfig(
                service_ipv4_cidr=settings.network.service_cidr
            ),
            access_config=EksClusterAccessConfig(
                authentication_mode="API", bootstrap_cluster_creator_admin_permissions=True
            ),
            # Standard support only: an unplanned jump to extended-support pricing is a decision, not a default.
            upgrade_policy=EksClusterUpgradePolicy(support_type="STANDARD"),
            depends_on=[logs, policy],
        )
        if settings.deploy_runner_cidrs:
            # The private endpoint's network interfaces carry the cluster security group: without this rule a
            # runner in a peered network reaches the address but not the port.
            SecurityGroupRule(
                self,
                "deploy-runners",
                type="ingress",
                protocol="tcp",
                from_port=443,
                to_port=443,
                cidr_blocks=list(settings.deploy_runner_cidrs),
                security_group_id=self.cluster.vpc_config.cluster_security_group_id,
                description="cdktf deploy runners (deploy_runner_cidrs) reach the private API endpoint",
            )
        issuer = self.cluster.identity.get(0).oidc.get(0).issuer
        self.oidc_provider = IamOpenidConnectProvider(
            self, "oidc-provider", url=issuer, client_id_list=["sts.amazonaws.com"]
        )
        self.oidc_provider_arn = self.oidc_provider.arn
        self.oidc_issuer_host = Fn.replace(issuer, "https://", "")
        self.cluster_name = self.cluster.name
        self.endpoint = self.cluster.endpoint
        self.connection = ClusterConnection(
            host=self.cluster.endpoint,
            cluster_ca_certificate=Fn.base64decode(self.cluster.certificate_authority.get(0).data),
            exec_auth=ExecAuth(
                command="aws", args=("eks", "get-token", "--cluster-name", self.cluster.name, "--region", region)
            ),
        )
