"""AWS side of CI access: the account's IAM OIDC provider for GitHub Actions and the deploy and plan roles.

An IAM OIDC provider is unique per URL in an account, so this assumes one account per environment (AWS's
recommended layout); two environments sharing an account would need the provider imported by one of them.
Deploying a stack that creates IAM roles is admin-equivalent whatever the policy says; the trust policy
(one repository, one GitHub environment with its reviewers) is what guards it.
"""
from constructs import Construct
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment

from ..aws_iam import github_actions_trust, managed_policy
from . import GITHUB_OIDC_ISSUER, deploy_subject, plan_subject

STS_AUDIENCE = "sts.amazonaws.com"  # what aws-actions/configure-aws-credentials asks GitHub to put in `aud`
# Creating VPCs, EKS and KMS needs PowerUser; creating the cluster's and add-ons' roles needs IAM.
DEPLOY_POLICIES = ("PowerUserAccess", "IAMFullAccess")
PLAN_POLICIES = ("ReadOnlyAccess",)


class GitHubActionsRoles(Construct):
    def __init__(self, scope: Construct, id_: str, *, name: str, repository: str, environment: str):
        super().__init__(scope, id_)
        provider = IamOpenidConnectProvider(self, "github", url=GITHUB_OIDC_ISSUER, client_id_list=[STS_AUDIENCE])
        self.deploy_role = self._role(f"{name}-ci-deploy", provider.arn, deploy_subject(repository, environment),
                                      DEPLOY_POLICIES)
        self.plan_role = self._role(f"{name}-ci-plan", provider.arn, plan_subject(repository), PLAN_POLICIES)

    def _role(self, role_name: str, provider_arn: str, subject: str, policies: tuple[str, ...]) -> IamRole:
        role = IamRole(self, role_name, name=role_name, assume_role_policy=github_actions_trust(
            provider_arn=provider_arn, issuer_host=GITHUB_OIDC_ISSUER.removeprefix("https://"), subject=subject,
            audience=STS_AUDIENCE))
        for policy in policies:
            IamRolePolicyAttachment(self, f"{role_name}-{policy}", role=role.name, policy_arn=managed_policy(policy))
        return role
