"""GitHubActionsRoles: GitHub's OIDC provider and the roles CI assumes, each trusting one token subject."""
import json

import pytest
from cdktf_cdktf_provider_aws.eks_access_policy_association import EksAccessPolicyAssociation
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment

from stacks.ci_access.aws import GitHubActionsRoles
from synthkit import construct_json

NAME = "voiceplat-prod-eu"
HOST = "token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def roles():
    return construct_json(lambda stack: GitHubActionsRoles(stack, "ci", name=NAME, repository="octo/infra",
                                                           environment="prod-eu", cluster_name=NAME))


def trust_condition(roles, role_name: str) -> dict:
    role = next(r for r in roles.resources(IamRole.TF_RESOURCE_TYPE) if r["name"] == role_name)
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    return statement["Condition"]


def test_the_account_trusts_githubs_token_issuer_for_sts(roles):
    assert roles.has(IamOpenidConnectProvider.TF_RESOURCE_TYPE, {
        "url": f"https://{HOST}", "client_id_list": ["sts.amazonaws.com"]})


def test_the_deploy_role_trusts_only_jobs_of_the_repository_in_the_environment(roles):
    assert trust_condition(roles, f"{NAME}-ci-deploy") == {"StringEquals": {
        f"{HOST}:aud": "sts.amazonaws.com", f"{HOST}:sub": "repo:octo/infra:environment:prod-eu"}}


def test_the_plan_role_trusts_only_pull_request_jobs_of_the_repository(roles):
    assert trust_condition(roles, f"{NAME}-ci-plan")["StringEquals"][f"{HOST}:sub"] == "repo:octo/infra:pull_request"


def test_the_plan_role_may_only_read(roles):
    plan = [attachment["policy_arn"] for attachment in roles.resources(IamRolePolicyAttachment.TF_RESOURCE_TYPE)
            if "ci-plan" in attachment["role"]]  # a reference to the plan role's name
    assert plan == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]


def test_the_deploy_role_manages_only_the_stacks_own_roles(roles):
    statements = json.loads(roles.one(IamRolePolicy.TF_RESOURCE_TYPE)["policy"])["Statement"]
    (role_statement,) = [s for s in statements if "iam:CreateRole" in s["Action"]]
    assert role_statement["Resource"] == [f"arn:aws:iam::*:role/{NAME}-*", "arn:aws:iam::*:role/*-node-*"]


def test_the_deploy_role_administers_the_cluster_to_install_the_platform(roles):
    associations = roles.resources(EksAccessPolicyAssociation.TF_RESOURCE_TYPE)
    deploy = [a["policy_arn"] for a in associations if "ci-deploy" in a["principal_arn"]]
    assert deploy == ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"]


def test_a_deploy_session_outlasts_the_deliver_jobs_timeout(roles):
    assert roles.has(IamRole.TF_RESOURCE_TYPE, {"name": f"{NAME}-ci-deploy", "max_session_duration": 7200})
