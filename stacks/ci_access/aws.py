"""AWS side of CI access: the account's IAM OIDC provider for GitHub Actions and the deploy and plan roles.

An IAM OIDC provider is unique per URL in an account, so this assumes one account per environment (AWS's
recommended layout); two environments sharing an account would need the provider imported by one of them.
The deploy role gets PowerUserAccess (everything but IAM) and may manage only the IAM objects the stack
creates: roles named after the cluster or its node pools, and OIDC providers. It can still write those roles'
policies, so it is close to admin in its account; the trust policy (one repository, one GitHub environment with
its reviewers) is what guards it, and a permissions boundary on the roles it creates is the next step.
Both roles reach the environment's state object (stacks/environments/state.py) by a policy of their own, not through
the managed policies: ReadOnlyAccess lets the plan read objects but neither take the lock nor decrypt them.
"""

from cdktf_cdktf_provider_aws.eks_access_entry import EksAccessEntry
from cdktf_cdktf_provider_aws.eks_access_policy_association import (
    EksAccessPolicyAssociation,
    EksAccessPolicyAssociationAccessScope,
)
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from constructs import Construct

from ..aws_iam import PARTITION, document, github_actions_trust, managed_policy
from ..environments.state import S3State
from . import GITHUB_OIDC_ISSUER, deploy_subject, plan_subject

STS_AUDIENCE = "sts.amazonaws.com"  # what aws-actions/configure-aws-credentials asks GitHub to put in `aud`
DEPLOY_POLICIES = ("PowerUserAccess",)  # VPCs, EKS, KMS, logs: everything of the stack but IAM
PLAN_POLICIES = ("ReadOnlyAccess",)
# A first cdktf deploy (VPC, EKS, node groups, add-ons) can outlast STS's default hour; the deliver job's
# timeout is 90 minutes (.github/workflows/deliver.yml asks for as long).
DEPLOY_SESSION_SECONDS = 2 * 3600
ROLE_ACTIONS = (
    "iam:CreateRole",
    "iam:DeleteRole",
    "iam:GetRole",
    "iam:UpdateRole",
    "iam:UpdateAssumeRolePolicy",
    "iam:TagRole",
    "iam:UntagRole",
    "iam:PutRolePolicy",
    "iam:GetRolePolicy",
    "iam:DeleteRolePolicy",
    "iam:ListRolePolicies",
    "iam:AttachRolePolicy",
    "iam:DetachRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:ListInstanceProfilesForRole",
    "iam:PassRole",
)
# What each role may do inside the cluster (EKS access policies): the deploy installs the platform's Helm releases;
# the plan refreshes them, and Helm keeps releases in Secrets, which AdminView reads and View does not.
DEPLOY_CLUSTER_ACCESS = "AmazonEKSClusterAdminPolicy"
PLAN_CLUSTER_ACCESS = "AmazonEKSAdminViewPolicy"
OIDC_PROVIDER_ACTIONS = (
    "iam:CreateOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
    "iam:GetOpenIDConnectProvider",
    "iam:TagOpenIDConnectProvider",
    "iam:UntagOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:RemoveClientIDFromOpenIDConnectProvider",
)


def stack_iam_policy(name: str) -> str:
    """The IAM objects the stack creates: roles `<cluster>-*` (cluster, add-ons, CI) and `<pool>-node-*` (node
    groups, stacks/node_pools/aws.py), and the OIDC providers (the cluster's and GitHub's)."""
    roles = [f"arn:{PARTITION}:iam::*:role/{name}-*", f"arn:{PARTITION}:iam::*:role/*-node-*"]
    return document(
        {"Effect": "Allow", "Action": list(ROLE_ACTIONS), "Resource": roles},
        {
            "Effect": "Allow",
            "Action": list(OIDC_PROVIDER_ACTIONS),
            "Resource": f"arn:{PARTITION}:iam::*:oidc-provider/*",
        },
    )


def state_policy(store: S3State, environment: str, *, write: bool) -> str:
    """The environment's state: read it, take and release its lock file (S3's native lock, `use_lockfile`), and
    use the store's KMS key through S3 (the lock file is encrypted too); `write` also replaces the state."""
    bucket = f"arn:{PARTITION}:s3:::{store.bucket}"
    state, lock = f"{bucket}/{store.key(environment)}", f"{bucket}/{store.lock_key(environment)}"
    return document(
        {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": bucket},
        {"Effect": "Allow", "Action": ["s3:GetObject", *(["s3:PutObject"] if write else [])], "Resource": state},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], "Resource": lock},
        # The backend names the key by its alias: the key is whichever one carries it, used only by S3.
        {
            "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": f"arn:{PARTITION}:kms:{store.region}:*:key/*",
            "Condition": {
                "ForAnyValue:StringEquals": {"kms:ResourceAliases": store.kms_key_alias},
                "StringEquals": {"kms:ViaService": f"s3.{store.region}.amazonaws.com"},
            },
        },
    )


class GitHubActionsRoles(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        name: str,
        repository: str,
        environment: str,
        cluster_name: str,
        state: S3State,
    ):
        super().__init__(scope, id_)
        provider = IamOpenidConnectProvider(self, "github", url=GITHUB_OIDC_ISSUER, client_id_list=[STS_AUDIENCE])
        self.deploy_role = self._role(
            f"{name}-ci-deploy",
            provider.arn,
            deploy_subject(repository, environment),
            DEPLOY_POLICIES,
            max_session_duration=DEPLOY_SESSION_SECONDS,
        )
        self.plan_role = self._role(f"{name}-ci-plan", provider.arn, plan_subject(repository), PLAN_POLICIES)
        IamRolePolicy(
            self, "deploy-stack-iam", name="stack-iam", role=self.deploy_role.name, policy=stack_iam_policy(name)
        )
        for label, role in (("deploy", self.deploy_role), ("plan", self.plan_role)):
            IamRolePolicy(
                self,
                f"{label}-state",
                name="terraform-state",
                role=role.name,
                policy=state_policy(state, environment, write=label == "deploy"),
            )
        self._cluster_access("deploy", self.deploy_role, DEPLOY_CLUSTER_ACCESS, cluster_name)
        self._cluster_access("plan", self.plan_role, PLAN_CLUSTER_ACCESS, cluster_name)

    def _cluster_access(self, label: str, role: IamRole, access_policy: str, cluster_name: str) -> None:
        """The cluster authenticates by access entries (authentication_mode API): one per role."""
        entry = EksAccessEntry(
            self, f"{label}-cluster-access", cluster_name=cluster_name, principal_arn=role.arn, type="STANDARD"
        )
        EksAccessPolicyAssociation(
            self,
            f"{label}-{access_policy}",
            cluster_name=cluster_name,
            principal_arn=role.arn,
            policy_arn=f"arn:{PARTITION}:eks::aws:cluster-access-policy/{access_policy}",
            access_scope=EksAccessPolicyAssociationAccessScope(type="cluster"),
            depends_on=[entry],
        )

    def _role(
        self,
        role_name: str,
        provider_arn: str,
        subject: str,
        policies: tuple[str, ...],
        max_session_duration: int = 3600,
    ) -> IamRole:
        role = IamRole(
            self,
            role_name,
            name=role_name,
            max_session_duration=max_session_duration,
            assume_role_policy=github_actions_trust(
                provider_arn=provider_arn,
                issuer_host=GITHUB_OIDC_ISSUER.removeprefix("https://"),
                subject=subject,
                audience=STS_AUDIENCE,
            ),
        )
        for policy in policies:
            IamRolePolicyAttachment(self, f"{role_name}-{policy}", role=role.name, policy_arn=managed_policy(policy))
        return role
