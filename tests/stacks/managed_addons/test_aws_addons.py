"""EksAddons: the managed add-ons, and IAM roles for service accounts scoped to their cluster."""

import json

import pytest
from cdktf_cdktf_provider_aws.eks_addon import EksAddon
from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy

import contract
from stacks.managed_addons.aws import MANAGED_ADDONS, SERVICE_ACCOUNTS, EksAddons
from synthkit import construct_json

CLUSTER = "voiceplat-prod-eu"
ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"


@pytest.fixture(scope="module")
def addons():
    return construct_json(
        lambda stack: EksAddons(
            stack,
            "addons",
            cluster_name=CLUSTER,
            kubernetes_version="1.34",
            region="eu-west-1",
            oidc_provider_arn="arn:aws:iam::111122223333:oidc-provider/" + ISSUER,
            oidc_issuer_host=ISSUER,
            secrets_prefix="voiceplat/prod-eu",
            after=[],
        )
    )


def role_named(addons, suffix: str) -> dict:
    return next(role for role in addons.resources(IamRole.TF_RESOURCE_TYPE) if role["name"] == f"{CLUSTER}-{suffix}")


def policy_named(addons, name: str) -> dict:
    return json.loads(next(p for p in addons.resources(IamRolePolicy.TF_RESOURCE_TYPE) if p["name"] == name)["policy"])


@pytest.mark.parametrize("addon", ["vpc-cni", "coredns", "kube-proxy", "aws-ebs-csi-driver", "eks-pod-identity-agent"])
def test_each_required_addon_is_managed_by_eks(addons, addon):
    assert addon in MANAGED_ADDONS
    assert addons.has(
        EksAddon.TF_RESOURCE_TYPE,
        {"addon_name": addon, "cluster_name": CLUSTER, "resolve_conflicts_on_create": "OVERWRITE"},
    )


def test_the_vpc_cni_enforces_network_policies_and_no_other_addon_is_reconfigured(addons):
    """Without its network policy agent the VPC CNI ignores every NetworkPolicy the charts ship."""
    configured = {
        a["addon_name"]: json.loads(a["configuration_values"])
        for a in addons.resources(EksAddon.TF_RESOURCE_TYPE)
        if a.get("configuration_values")
    }
    assert configured == {"vpc-cni": {"enableNetworkPolicy": "true"}}


def test_ebs_csi_driver_runs_as_its_own_role(addons):
    addon = next(a for a in addons.resources(EksAddon.TF_RESOURCE_TYPE) if a["addon_name"] == "aws-ebs-csi-driver")
    assert addon["service_account_role_arn"].endswith(".arn}") and "ebs-csi-role" in addon["service_account_role_arn"]


@pytest.mark.parametrize("role", ["ebs-csi", "load-balancer-controller", "cluster-autoscaler", "workloads"])
def test_each_role_trusts_only_its_service_account_through_the_clusters_oidc(addons, role):
    statement = json.loads(role_named(addons, role)["assume_role_policy"])["Statement"][0]
    account = SERVICE_ACCOUNTS[role]
    conditions = {key: value for block in statement["Condition"].values() for key, value in block.items()}
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert conditions[f"{ISSUER}:sub"] == f"system:serviceaccount:{account.namespace}:{account.name}"
    assert conditions[f"{ISSUER}:aud"] == "sts.amazonaws.com"


def test_workloads_role_covers_the_platform_namespace(addons):
    assert SERVICE_ACCOUNTS["workloads"].namespace == contract.PLATFORM_NAMESPACE
    statement = json.loads(role_named(addons, "workloads")["assume_role_policy"])["Statement"][0]
    assert "StringLike" in statement["Condition"]


def test_workloads_read_only_their_environments_secrets(addons):
    resources = [s["Resource"] for s in policy_named(addons, "workloads")["Statement"]]
    assert all("voiceplat/prod-eu/*" in resource for resource in resources)


def test_cluster_autoscaler_resizes_only_this_clusters_groups(addons):
    mutate = next(
        s
        for s in policy_named(addons, "cluster-autoscaler")["Statement"]
        if "autoscaling:SetDesiredCapacity" in s["Action"]
    )
    assert mutate["Condition"] == {"StringEquals": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{CLUSTER}": "owned"}}


def test_load_balancer_controller_changes_only_what_it_tagged_for_this_cluster(addons):
    statements = policy_named(addons, "load-balancer-controller")["Statement"]
    deleting = next(s for s in statements if "elasticloadbalancing:DeleteLoadBalancer" in s["Action"])
    assert deleting["Condition"] == {"StringEquals": {"aws:ResourceTag/elbv2.k8s.aws/cluster": CLUSTER}}
