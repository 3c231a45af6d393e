"""GitHubActionsRoles: GitHub's OIDC provider and the roles CI assumes, each trusting one token subject."""

import json

import pytest
from cdktf_cdktf_provider_aws.eks_access_policy_association import EksAccessPolicyAssociation
from cdktf_cdktf_provider_aws.iam_openid_connect_provider import IamOpenidConnectProvider
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment

from stacks.ci_access.aws import GitHubActionsRoles
from stacks.environments.catalog import AWS_STATE
from synthkit import construct_json

NAME = "voiceplat-prod-eu"
HOST = "token.actions.githubusercontent.com"


@pytest.fixture(scope="module")
def roles():
    return construct_json(
        lambda stack: GitHubActionsRoles(
            stack, "ci", name=NAME, repository="octo/infra", environment="prod-eu", cluster_name=NAME, state=AWS_STATE
        )
    )


def inline_policy(roles, label: str, name: str) -> list[dict]:
    """Statements of the inline policy `name` of the deploy or plan role (`role` is a reference to its name)."""
    (policy,) = [
        p for p in roles.resources(IamRolePolicy.TF_RESOURCE_TYPE) if p["name"] == name and f"ci-{label}" in p["role"]
    ]
    return json.loads(policy["policy"])["Statement"]


def actions_on(statements: list[dict], resource: str) -> set[str]:
    return {
        action
        for s in statements
        if s["Resource"] == resource
        for action in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])
    }


def trust_condition(roles, role_name: str) -> dict:
    role = next(r for r in roles.resources(IamRole.TF_RESOURCE_TYPE) if r["name"] == role_name)
    (statement,) = json.loads(role["assume_role_policy"])["Statement"]
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    return statement["Condition"]


def test_the_account_trusts_githubs_token_issuer_for_sts(roles):
    assert roles.has(
        IamOpenidConnectProvider.TF_RESOURCE_TYPE, {"url": f"https://{HOST}", "client_id_list": ["sts.amazonaws.com"]}
    )


def test_the_deploy_role_trusts_only_jobs_of_the_repository_in_the_environment(roles):
    assert trust_condition(roles, f"{NAME}-ci-deploy") == {
        "StringEquals": {f"{HOST}:aud": "sts.amazonaws.com", f"{HOST}:sub": "repo:octo/infra:environment:prod-eu"}
    }


def test_the_plan_role_trusts_only_pull_request_jobs_of_the_repository(roles):
    assert trust_condition(roles, f"{NAME}-ci-plan")["StringEquals"][f"{HOST}:sub"] == "repo:octo/infra:pull_request"


def test_the_plan_role_may_only_read(roles):
    plan = [
        attachment["policy_arn"]
        for attachment in roles.resources(IamRolePolicyAttachment.TF_RESOURCE_TYPE)
        if "ci-plan" in attachment["role"]
    ]  # a reference to the plan role's name
    assert plan == ["arn:aws:iam::aws:policy/ReadOnlyAccess"]


def test_the_deploy_role_manages_only_the_stacks_own_roles(roles):
    statements = inline_policy(roles, "deploy", "stack-iam")
    (role_statement,) = [s for s in statements if "iam:CreateRole" in s["Action"]]
    assert role_statement["Resource"] == [f"arn:aws:iam::*:role/{NAME}-*", "arn:aws:iam::*:role/*-node-*"]


def test_the_deploy_role_administers_the_cluster_to_install_the_platform(roles):
    associations = roles.resources(EksAccessPolicyAssociation.TF_RESOURCE_TYPE)
    deploy = [a["policy_arn"] for a in associations if "ci-deploy" in a["principal_arn"]]
    assert deploy == ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"]


def test_a_deploy_session_outlasts_the_deliver_jobs_timeout(roles):
    assert roles.has(IamRole.TF_RESOURCE_TYPE, {"name": f"{NAME}-ci-deploy", "max_session_duration": 7200})


BUCKET = f"arn:aws:s3:::{AWS_STATE.bucket}"
STATE, LOCK = f"{BUCKET}/prod-eu/terraform.tfstate", f"{BUCKET}/prod-eu/terraform.tfstate.tflock"


@pytest.mark.parametrize("label", ["plan", "deploy"])
def test_each_role_takes_and_releases_the_state_lock_file_and_nothing_else_of_the_bucket(roles, label):
    statements = inline_policy(roles, label, "terraform-state")
    assert actions_on(statements, LOCK) == {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}
    assert actions_on(statements, BUCKET) == {"s3:ListBucket"}
    assert {r for s in statements for r in [s["Resource"]] if r.startswith(BUCKET)} == {BUCKET, STATE, LOCK}


def test_the_plan_role_reads_its_state_without_replacing_it(roles):
    assert actions_on(inline_policy(roles, "plan", "terraform-state"), STATE) == {"s3:GetObject"}


def test_the_deploy_role_replaces_its_state(roles):
    assert actions_on(inline_policy(roles, "deploy", "terraform-state"), STATE) == {"s3:GetObject", "s3:PutObject"}


@pytest.mark.parametrize("label", ["plan", "deploy"])
def test_each_role_uses_the_state_key_through_s3_only(roles, label):
    (kms,) = [s for s in inline_policy(roles, label, "terraform-state") if s["Resource"].startswith("arn:aws:kms:")]
    assert kms["Action"] == ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    assert kms["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": AWS_STATE.kms_key_alias},
        "StringEquals": {"kms:ViaService": f"s3.{AWS_STATE.region}.amazonaws.com"},
    }
