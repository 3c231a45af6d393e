"""Regions are independent: no synthesized stack of one region names another region's resources, state store or
keys (its region, environments, clusters, domains, registries, buckets, storage accounts), so deploying a region
never reads another's store and a region's loss stops nothing in the others. The global entries are the exception
(they read every region's outputs); tests/regionkit.py says what counts."""

import copy

import pytest

from regionkit import region_of, violations
from stacks.app import deploy_runners
from stacks.environments import ENVIRONMENTS
from stacks.environments.catalog import AWS_STATE
from synthkit import CLOUD_GROUPS, all_stacks, start_app_runs

start_app_runs()

REGIONAL = [name for group in CLOUD_GROUPS for name in group if region_of(name, ENVIRONMENTS)]


def document(name: str) -> dict:
    return all_stacks()[name].stack_json(name)


@pytest.mark.parametrize("name", REGIONAL)
def test_a_regional_stack_names_nothing_of_another_region(name):
    assert violations(document(name), region_of(name, ENVIRONMENTS), ENVIRONMENTS.values()) == []


def test_every_region_and_store_in_use_is_checked():
    regions = {region_of(name, ENVIRONMENTS) for name in REGIONAL}
    assert regions == {"eu-west-1", "us-east-1", "westeurope", "eastus"}


def test_every_regions_deploy_runner_is_checked():
    assert set(deploy_runners()) <= set(REGIONAL)
    assert {runner.region for runner in deploy_runners().values()} == {"eu-west-1", "us-east-1", "westeurope", "eastus"}


def test_a_planted_peering_with_another_regions_runner_is_caught():
    planted = copy.deepcopy(document("prod-us"))
    planted["resource"]["aws_vpc_peering_connection"] = {
        "planted": {"tags": {"Name": "prod-us-to-runner-aws-eu-west-1"}}
    }
    found = violations(planted, "us-east-1", ENVIRONMENTS.values())
    assert "runner-aws-eu-west-1: deploy runner of eu-west-1" in found


def test_a_planted_read_of_another_regions_store_is_caught():
    planted = copy.deepcopy(document("prod-us"))
    planted.setdefault("data", {})["terraform_remote_state"] = {
        "eu": {"backend": "s3", "config": {"bucket": AWS_STATE.bucket, "key": "prod-eu/terraform.tfstate"}}
    }
    found = violations(planted, "us-east-1", ENVIRONMENTS.values())
    assert f"{AWS_STATE.bucket}: state store of eu-west-1" in found
    assert "prod-eu: environment prod-eu (eu-west-1)" in found


def test_a_planted_key_of_another_region_is_caught():
    planted = copy.deepcopy(document("prod-eu-az"))
    planted["output"]["planted"] = {"value": "https://kv-prod-us-az.vault.azure.net/keys/state"}
    assert violations(planted, "westeurope", ENVIRONMENTS.values()) == ["prod-us-az: environment prod-us-az (eastus)"]
