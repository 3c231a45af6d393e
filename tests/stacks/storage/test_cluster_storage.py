"""Storage: every class a release names exists in its environment; EKS gets the EBS and EFS CSI drivers with their
roles, a default gp3 class and efs-sc on an EFS file system with a mount target per private subnet."""

import re

import pytest
import yaml

from deliverykit import address, cluster_objects, delivery, ready_address, releases
from stacks.delivery.helm_addons import ADDONS, VALUES_DIR, values_files
from stacks.delivery.infrastructure import INFRASTRUCTURE
from stacks.delivery.storage import STORAGE
from stacks.environments import ENVIRONMENTS, Cloud
from stacks.managed_addons.aws import EksAddons
from stacks.storage.aws import EfsStorage
from synthkit import construct_json

STORAGE_KEYS = re.compile(r"^(storageClass|storageClassName)$")


STORAGE_CLASS = "kubernetes_storage_class_v1"


def classes(name: str) -> dict[str, dict]:
    """The kubernetes_storage_class_v1 resources of environment `name`'s delivery, by class name."""
    return cluster_objects(delivery(name), STORAGE_CLASS)


def named_classes(value) -> set[str]:
    """Every storage class named anywhere in a values document (storageClass / storageClassName keys)."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if STORAGE_KEYS.match(str(key)) and isinstance(item, str) and item not in ("", "-"):
                found.add(item)
            found |= named_classes(item)
    elif isinstance(value, list):
        for item in value:
            found |= named_classes(item)
    return found


def test_eks_gets_a_default_encrypted_gp3_class():
    gp3 = classes("prod-eu")["gp3"]
    assert gp3["storage_provisioner"] == "ebs.csi.aws.com" and gp3["parameters"]["type"] == "gp3"
    assert gp3["parameters"]["encrypted"] == "true" and gp3["reclaim_policy"] == "Delete"
    assert gp3["metadata"]["annotations"] == {"storageclass.kubernetes.io/is-default-class": "true"}
    assert (gp3["volume_binding_mode"], gp3["allow_volume_expansion"]) == ("WaitForFirstConsumer", True)


def test_eks_gets_efs_sc_on_the_stacks_file_system():
    efs = classes("prod-eu")["efs-sc"]
    assert efs["storage_provisioner"] == "efs.csi.aws.com"
    assert efs["parameters"]["fileSystemId"] == "fs-0123456789abcdef0"
    assert efs["parameters"]["provisioningMode"] == "efs-ap"
    assert "annotations" not in efs["metadata"], "one default class: gp3"


def test_aks_and_kind_need_no_class_of_the_stack():
    assert classes("prod-eu-az") == {} and classes("local") == {}


def test_the_classes_exist_before_anything_that_claims_a_volume():
    synth = delivery("prod-eu")
    for name, body in classes("prod-eu").items():
        assert ready_address(synth) in body["depends_on"], name
        storage = address(synth, STORAGE_CLASS, name)
        for release in ("kube-prometheus-stack", "temporal", "rabbitmq"):
            assert storage in releases(synth)[release]["depends_on"], (name, release)


@pytest.mark.parametrize("name", [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL])
def test_every_class_an_upstream_release_names_exists_and_the_cluster_has_a_default(name):
    cloud = ENVIRONMENTS[name].cloud
    files = [path for addon in ADDONS[cloud] for path in values_files(addon, cloud)]
    files += [VALUES_DIR / f"{service.name}.yaml" for service in INFRASTRUCTURE[cloud]]
    named = set().union(*(named_classes(yaml.safe_load(path.read_text())) for path in files))
    assert named <= STORAGE[cloud].available()
    assert STORAGE[cloud].default in STORAGE[cloud].available()


def test_the_roles_the_charts_use_map_to_classes_of_the_cloud():
    for cloud, storage in STORAGE.items():
        assert set(storage.roles.values()) <= storage.available(), cloud


def test_the_ebs_and_efs_csi_drivers_are_managed_add_ons_with_their_roles():
    synth = construct_json(
        lambda stack: EksAddons(
            stack,
            "addons",
            cluster_name="voiceplat-prod-eu",
            kubernetes_version="1.34",
            region="eu-west-1",
            oidc_provider_arn="arn:aws:iam::1:oidc-provider/x",
            oidc_issuer_host="oidc.example",
            secrets_prefix="p",
            after=[],
        )
    )
    addons = {addon["addon_name"]: addon for addon in synth.resources("aws_eks_addon")}
    roles = {role["name"]: logical for logical, role in synth.doc["resource"]["aws_iam_role"].items()}
    for addon, role in (("aws-ebs-csi-driver", "ebs-csi"), ("aws-efs-csi-driver", "efs-csi")):
        logical = roles["voiceplat-prod-eu-" + role]
        assert addons[addon]["service_account_role_arn"] == f"${{aws_iam_role.{logical}.arn}}"
    assert synth.has(
        "aws_iam_role_policy_attachment",
        {
            "policy_arn": "arn:${data.aws_partition.partition.partition}:iam::aws:policy/service-role/"
            "AmazonEFSCSIDriverPolicy"
        },
    ) or any("AmazonEFSCSIDriverPolicy" in a["policy_arn"] for a in synth.resources("aws_iam_role_policy_attachment"))


def test_the_efs_file_system_is_encrypted_and_mounted_in_every_private_subnet():
    subnets = ["subnet-a", "subnet-b", "subnet-c"]
    synth = construct_json(
        lambda stack: EfsStorage(
            stack,
            "efs",
            name="voiceplat-prod-eu",
            vpc_id="vpc-1",
            vpc_cidr="10.20.0.0/16",
            subnet_ids=subnets,
            kms_key_arn="arn:aws:kms:eu-west-1:1:key/k",
        )
    )
    fs = synth.one("aws_efs_file_system")
    assert fs["encrypted"] is True and fs["kms_key_id"] == "arn:aws:kms:eu-west-1:1:key/k"
    assert sorted(target["subnet_id"] for target in synth.resources("aws_efs_mount_target")) == subnets
    (ingress,) = synth.one("aws_security_group")["ingress"]
    assert (ingress["from_port"], ingress["cidr_blocks"]) == (2049, ["10.20.0.0/16"])
