"""pipelines/matrix.py: the environments a pull request's diff job and the release's promotion cover."""

import pytest

from pipelines import matrix
from stacks.environments import UnknownEnvironment


def names(entries) -> list[str]:
    return [entry["name"] for entry in entries]


def test_a_change_to_the_stacks_affects_every_cloud_environment_and_never_local():
    assert names(matrix.affected(["stacks/cluster/aws.py"])) == [
        "preview-eu",
        "prod-eu",
        "prod-us",
        "preview-eu-az",
        "prod-eu-az",
        "prod-us-az",
    ]


def test_a_values_overlay_affects_only_the_environments_that_list_it():
    assert names(matrix.affected(["charts/platform/values/ingress-azure-application-gateway.yaml"])) == [
        "preview-eu-az",
        "prod-eu-az",
        "prod-us-az",
    ]


def test_docs_tests_and_e2e_affect_no_environment():
    assert matrix.affected(["README.md", "e2e/test_gpu.py", "tests/test_layers.py", "loadtests/run.py"]) == []


def test_production_is_every_environment_tagged_prod():
    assert names(matrix.production()) == ["prod-eu", "prod-us", "prod-eu-az", "prod-us-az"]


def test_an_entry_names_the_variables_suffix_without_dashes():
    (entry,) = [e for e in matrix.production() if e["name"] == "prod-eu-az"]
    assert entry == {
        "name": "prod-eu-az",
        "cloud": "azure",
        "region": "westeurope",
        "delivery": "gitops",
        "suffix": "PROD_EU_AZ",
        "runs_on": ["self-hosted", "deploy", "deploy-westeurope"],
    }


def test_a_private_api_is_deployed_from_its_own_regions_runner_and_a_preview_from_deploy_runner():
    regions = {e["name"]: e["runs_on"] for e in matrix.named(["prod-eu", "prod-us", "prod-us-az", "preview-eu"])}
    assert regions == {
        "prod-eu": ["self-hosted", "deploy", "deploy-eu-west-1"],
        "prod-us": ["self-hosted", "deploy", "deploy-us-east-1"],
        "prod-us-az": ["self-hosted", "deploy", "deploy-eastus"],
        "preview-eu": None,  # its API is open to public_api_cidrs: the DEPLOY_RUNNER variable's runner
    }


def test_an_unknown_name_lists_the_environments_that_exist():
    with pytest.raises(UnknownEnvironment, match=r"preview-mars.*preview-eu"):
        matrix.named(["preview-mars"])
