"""Registries: each cloud environment's stack creates the registry every project chart image is pulled from (ECR
repositories with immutable tags and scan on push; ACR the kubelet may pull from), and passes it to the charts."""

import pytest

from stacks.delivery.images import THIRD_PARTY, project_repositories
from stacks.registry.aws import EcrRegistry
from stacks.registry.azure import AcrRegistry
from synthkit import all_stacks, construct_json, start_app_runs

start_app_runs()


@pytest.fixture(scope="module")
def ecr():
    return construct_json(
        lambda stack: EcrRegistry(
            stack, "registry", prefix="prod-eu", region="eu-west-1", repositories=project_repositories()
        )
    )


def test_the_charts_images_are_the_project_services_and_the_third_party_ones():
    repositories = set(project_repositories())
    assert {"voiceplat/rest-api", "deepgram/self-hosted-engine", "busybox"} <= repositories
    assert set(THIRD_PARTY) <= repositories
    assert all(r.startswith("voiceplat/") for r in repositories - set(THIRD_PARTY))


def test_ecr_has_one_repository_per_chart_image_under_the_environment(ecr):
    names = sorted(repo["name"] for repo in ecr.resources("aws_ecr_repository"))
    assert names == sorted(f"prod-eu/{repository}" for repository in project_repositories())


def test_ecr_tags_are_immutable_and_images_scanned_on_push(ecr):
    for repo in ecr.resources("aws_ecr_repository"):
        assert repo["image_tag_mutability"] == "IMMUTABLE"
        assert repo["image_scanning_configuration"] == {"scan_on_push": True}
        assert repo["encryption_configuration"] == [{"encryption_type": "KMS"}]


def test_acr_is_private_to_entra_id_and_the_kubelet_may_pull():
    synth = construct_json(
        lambda stack: AcrRegistry(
            stack,
            "registry",
            environment="prod-eu-az",
            location="westeurope",
            resource_group_name="rg",
            kubelet_object_id="kubelet",
            tags={},
        )
    )
    acr = synth.one("azurerm_container_registry")
    assert (acr["name"], acr["admin_enabled"], acr["anonymous_pull_enabled"]) == ("acrvoiceplatprodeuaz", False, False)
    assert synth.has("azurerm_role_assignment", {"role_definition_name": "AcrPull", "principal_id": "kubelet"})


@pytest.mark.parametrize(
    "name, registry",
    [
        ("preview-eu", "dkr.ecr.eu-west-1.amazonaws.com/preview-eu"),
        # A region of a global entry pulls the entry's images, replicated into its own region's registry.
        ("prod-us", "dkr.ecr.us-east-1.amazonaws.com/global-aws"),
        ("preview-eu-az", "azurerm_container_registry."),
        # On Azure from the entry's geo-replicated registry, whose replica in the region serves it.
        ("prod-eu-az", "acrvoiceplatglobalazure.azurecr.io"),
    ],
)
def test_the_stack_passes_its_registry_to_the_charts(name, registry):
    text = (all_stacks()[name].outdir / "stacks" / name / "cdk.tf.json").read_text()
    assert registry in text
    doc = all_stacks()[name].stack_json(name)
    assert registry in doc["output"]["registry"]["value"]
    assert any(
        "registry" in value and any(mark in value for mark in ("ecr", "azurerm_container_registry", registry))
        for release in doc["resource"]["helm_release"].values()
        for value in release.get("values", [])
    )
