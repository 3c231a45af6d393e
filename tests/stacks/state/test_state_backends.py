"""Remote state: each cloud environment keeps its state in its cloud's store, locked and encrypted, one object per
environment; the stores come from the bootstrap stacks; the local stack and the bootstraps keep a local file."""

from dataclasses import replace

import pytest

from stacks.environments import ENVIRONMENTS, Cloud, ConfigError
from stacks.environments.catalog import AWS_STATE, AZURE_STATE, PROD_EU, PROD_EU_AZ
from stacks.environments.state import LocalState
from synthkit import all_stacks, start_app_runs

start_app_runs()

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]


def backend(name: str) -> dict:
    return all_stacks()[name].stack_json(name)["terraform"]["backend"]


@pytest.mark.parametrize("name", [n for n in CLOUD if ENVIRONMENTS[n].cloud is Cloud.AWS])
def test_an_aws_environment_keeps_its_state_in_s3_with_a_lock_file_and_kms(name):
    assert backend(name) == {
        "s3": {
            "bucket": AWS_STATE.bucket,
            "key": f"{name}/terraform.tfstate",
            "region": AWS_STATE.region,
            "encrypt": True,
            "kms_key_id": AWS_STATE.kms_key_alias,
            "use_lockfile": True,
        }
    }


@pytest.mark.parametrize("name", [n for n in CLOUD if ENVIRONMENTS[n].cloud is Cloud.AZURE])
def test_an_azure_environment_keeps_its_state_in_its_storage_account_with_entra_id(name):
    assert backend(name) == {
        "azurerm": {
            "resource_group_name": AZURE_STATE.resource_group,
            "storage_account_name": AZURE_STATE.storage_account,
            "container_name": f"tfstate-{name}",
            "key": f"{name}.tfstate",
            "use_azuread_auth": True,
        }
    }


@pytest.mark.parametrize("name", ["local", "state-aws", "state-azure"])
def test_the_local_stack_and_the_bootstraps_keep_a_local_state_file_beside_cdktf_out(name):
    assert backend(name) == {"local": {"path": f"../../../terraform.{name}.tfstate"}}


def test_no_two_environments_share_a_state_object():
    keys = [(type(env.state).__name__, env.state.key(name)) for name, env in ENVIRONMENTS.items() if name in CLOUD]
    assert len(set(keys)) == len(keys)


def test_the_aws_bootstrap_creates_the_bucket_and_key_the_backends_name():
    doc = all_stacks()["state-aws"].stack_json("state-aws")["resource"]
    (bucket,) = doc["aws_s3_bucket"].values()
    (alias,) = doc["aws_kms_alias"].values()
    (encryption,) = doc["aws_s3_bucket_server_side_encryption_configuration"].values()
    assert (bucket["bucket"], alias["name"]) == (AWS_STATE.bucket, AWS_STATE.kms_key_alias)
    assert bucket["lifecycle"] == {"prevent_destroy": True}
    assert encryption["rule"][0]["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"
    assert next(iter(doc["aws_s3_bucket_versioning"].values()))["versioning_configuration"]["status"] == "Enabled"
    assert next(iter(doc["aws_s3_bucket_public_access_block"].values()))["restrict_public_buckets"] is True


def test_the_azure_bootstrap_creates_the_account_and_a_container_for_each_environment_the_backends_name():
    doc = all_stacks()["state-azure"].stack_json("state-azure")["resource"]
    (account,) = doc["azurerm_storage_account"].values()
    containers = sorted(container["name"] for container in doc["azurerm_storage_container"].values())
    azure = [n for n in CLOUD if ENVIRONMENTS[n].cloud is Cloud.AZURE]
    assert account["name"] == AZURE_STATE.storage_account
    assert containers == sorted(backend(n)["azurerm"]["container_name"] for n in azure) and len(azure) >= 2
    assert account["shared_access_key_enabled"] is False and account["blob_properties"]["versioning_enabled"]


@pytest.mark.parametrize("env", [PROD_EU, PROD_EU_AZ], ids=lambda env: env.name)
def test_a_cloud_environment_with_local_state_is_refused(env):
    with pytest.raises(ConfigError) as info:
        replace(env, state=LocalState())
    assert info.value.path == f"{env.name}.state" and "CI runner" in info.value.fix


def test_a_bad_bucket_name_is_refused():
    with pytest.raises(ConfigError, match=r"prod-eu\.state\.bucket"):
        replace(PROD_EU, state=replace(AWS_STATE, bucket="Voiceplat_State"))
