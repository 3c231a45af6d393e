"""EksCluster: logging, Secrets encryption, endpoint exposure, OIDC, and the connection it exposes."""

import pytest
from cdktf_cdktf_provider_aws.eks_cluster import EksCluster as EksClusterResource
from cdktf_cdktf_provider_aws.kms_key import KmsKey

from stacks.cluster.aws import CONTROL_PLANE_LOGS, EksCluster
from stacks.environments.catalog import KUBERNETES_VERSION, PREVIEW_EU, PROD_EU
from synthkit import construct_json


def cluster_of(environment):
    return construct_json(
        lambda stack: EksCluster(
            stack,
            "cluster",
            name=environment.cluster_name,
            region=environment.region,
            settings=environment.cluster,
            subnet_ids=["subnet-a", "subnet-b", "subnet-c"],
        )
    )


@pytest.fixture(scope="module")
def prod():
    return cluster_of(PROD_EU)


@pytest.fixture(scope="module")
def preview():
    return cluster_of(PREVIEW_EU)


def test_cluster_is_named_by_the_contract_and_runs_the_environments_version(prod):
    assert prod.has(EksClusterResource.TF_RESOURCE_TYPE, {"name": "voiceplat-prod-eu", "version": KUBERNETES_VERSION})


def test_every_control_plane_log_type_is_enabled(prod):
    assert prod.has(EksClusterResource.TF_RESOURCE_TYPE, {"enabled_cluster_log_types": list(CONTROL_PLANE_LOGS)})
    assert set(CONTROL_PLANE_LOGS) == {"api", "audit", "authenticator", "controllerManager", "scheduler"}


def test_control_plane_logs_are_kept_for_the_environments_retention(prod):
    assert prod.has(
        "aws_cloudwatch_log_group",
        {"name": "/aws/eks/voiceplat-prod-eu/cluster", "retention_in_days": PROD_EU.cluster.log_retention_days},
    )


def test_secrets_are_envelope_encrypted_with_the_clusters_kms_key(prod):
    assert prod.has(
        EksClusterResource.TF_RESOURCE_TYPE,
        {
            "encryption_config": {
                "resources": ["secrets"],
                "provider": {"key_arn": prod.ref(KmsKey.TF_RESOURCE_TYPE, "arn")},
            }
        },
    )


def test_the_secrets_key_rotates(prod):
    assert prod.has(KmsKey.TF_RESOURCE_TYPE, {"enable_key_rotation": True})


def test_production_endpoint_is_private_only(prod):
    assert prod.has(
        EksClusterResource.TF_RESOURCE_TYPE,
        {"vpc_config": {"endpoint_private_access": True, "endpoint_public_access": False}},
    )


def test_preview_endpoint_is_public_only_from_its_cidrs(preview):
    assert preview.has(
        EksClusterResource.TF_RESOURCE_TYPE,
        {
            "vpc_config": {
                "endpoint_private_access": True,
                "endpoint_public_access": True,
                "public_access_cidrs": list(PREVIEW_EU.cluster.public_api_cidrs),
            }
        },
    )


def test_cluster_sits_in_the_given_subnets_with_the_environments_service_range(prod):
    assert prod.has(
        EksClusterResource.TF_RESOURCE_TYPE,
        {
            "vpc_config": {"subnet_ids": ["subnet-a", "subnet-b", "subnet-c"]},
            "kubernetes_network_config": {"service_ipv4_cidr": PROD_EU.cluster.network.service_cidr},
        },
    )


def test_authentication_uses_access_entries(prod):
    assert prod.has(EksClusterResource.TF_RESOURCE_TYPE, {"access_config": {"authentication_mode": "API"}})


def test_an_oidc_provider_trusts_the_clusters_issuer_for_sts(prod):
    assert prod.has(
        "aws_iam_openid_connect_provider",
        {
            "client_id_list": ["sts.amazonaws.com"],
            "url": prod.ref(EksClusterResource.TF_RESOURCE_TYPE, "identity[0].oidc[0].issuer"),
        },
    )


def test_connection_authenticates_with_a_short_lived_aws_token(prod):
    arguments = prod.construct.connection.provider_arguments()
    assert arguments["exec"]["command"] == "aws" and arguments["exec"]["args"][:2] == ["eks", "get-token"]
    assert "--region" in arguments["exec"]["args"] and "eu-west-1" in arguments["exec"]["args"]


def test_connection_carries_endpoint_and_ca_but_no_kubeconfig(prod):
    arguments = prod.construct.connection.provider_arguments()
    assert {"host", "cluster_ca_certificate", "exec"} == set(arguments)
