"""Remote state: each cloud environment keeps its state in its own region's store, locked and encrypted, one object
per environment; the stores come from one bootstrap stack per region; the local stack and the bootstraps keep a
local file."""

from dataclasses import replace

import pytest

from stacks.app import deploy_runners
from stacks.environments import ENVIRONMENTS, Cloud, ConfigError
from stacks.environments.catalog import AWS_STATE, AZURE_STATE, GLOBAL_ENTRIES, PROD_EU, PROD_EU_AZ, PROD_US
from stacks.environments.state import LocalState
from synthkit import all_stacks, start_app_runs

start_app_runs()

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]


def backend(name: str) -> dict:
    return all_stacks()[name].stack_json(name)["terraform"]["backend"]


@pytest.mark.parametrize("name", [n for n in CLOUD if ENVIRONMENTS[n].cloud is Cloud.AWS])
def test_an_aws_environment_keeps_its_state_in_s3_with_a_lock_file_and_kms(name):
    state = ENVIRONMENTS[name].state
    assert backend(name) == {
        "s3": {
            "bucket": state.bucket,
            "key": f"{name}/terraform.tfstate",
            "region": ENVIRONMENTS[name].region,
            "encrypt": True,
            "kms_key_id": state.kms_key_alias,
            "use_lockfile": True,
        }
    }


@pytest.mark.parametrize("name", [n for n in CLOUD if ENVIRONMENTS[n].cloud is Cloud.AZURE])
def test_an_azure_environment_keeps_its_state_in_its_storage_account_with_entra_id(name):
    state = ENVIRONMENTS[name].state
    assert state.location == ENVIRONMENTS[name].region
    assert backend(name) == {
        "azurerm": {
            "resource_group_name": state.resource_group,
            "storage_account_name": state.storage_account,
            "container_name": f"tfstate-{name}",
            "key": f"{name}.tfstate",
            "use_azuread_auth": True,
        }
    }


@pytest.mark.parametrize("name", ["local", AWS_STATE.stack_name, AZURE_STATE.stack_name])
def test_the_local_stack_and_the_bootstraps_keep_a_local_state_file_beside_cdktf_out(name):
    assert backend(name) == {"local": {"path": f"../../../terraform.{name}.tfstate"}}


def test_no_two_environments_share_a_state_object():
    keys = [(type(env.state).__name__, env.state.key(name)) for name, env in ENVIRONMENTS.items() if name in CLOUD]
    assert len(set(keys)) == len(keys)


def test_the_aws_bootstrap_creates_the_bucket_and_key_the_backends_name():
    doc = all_stacks()[AWS_STATE.stack_name].stack_json(AWS_STATE.stack_name)["resource"]
    (bucket,) = doc["aws_s3_bucket"].values()
    (alias,) = doc["aws_kms_alias"].values()
    (encryption,) = doc["aws_s3_bucket_server_side_encryption_configuration"].values()
    assert (bucket["bucket"], alias["name"]) == (AWS_STATE.bucket, AWS_STATE.kms_key_alias)
    assert bucket["lifecycle"] == {"prevent_destroy": True}
    assert encryption["rule"][0]["apply_server_side_encryption_by_default"]["sse_algorithm"] == "aws:kms"
    assert next(iter(doc["aws_s3_bucket_versioning"].values()))["versioning_configuration"]["status"] == "Enabled"
    assert next(iter(doc["aws_s3_bucket_public_access_block"].values()))["restrict_public_buckets"] is True


def test_the_azure_bootstrap_creates_the_account_and_a_container_for_each_environment_the_backends_name():
    doc = all_stacks()[AZURE_STATE.stack_name].stack_json(AZURE_STATE.stack_name)["resource"]
    (account,) = doc["azurerm_storage_account"].values()
    containers = sorted(container["name"] for container in doc["azurerm_storage_container"].values())
    runners = [name for name, runner in deploy_runners().items() if runner.state == AZURE_STATE]
    here = [n for n in CLOUD if ENVIRONMENTS[n].state == AZURE_STATE] + runners + ["global-azure"]
    assert account["name"] == AZURE_STATE.storage_account
    assert containers == sorted(backend(n)["azurerm"]["container_name"] for n in here) and len(here) >= 2
    assert account["shared_access_key_enabled"] is False and account["blob_properties"]["versioning_enabled"]


@pytest.mark.parametrize("env", [PROD_EU, PROD_EU_AZ], ids=lambda env: env.name)
def test_a_cloud_environment_with_local_state_is_refused(env):
    with pytest.raises(ConfigError) as info:
        replace(env, state=LocalState())
    assert info.value.path == f"{env.name}.state" and "CI runner" in info.value.fix


def test_a_bad_bucket_name_is_refused():
    with pytest.raises(ConfigError, match=r"prod-eu\.state\.bucket"):
        replace(PROD_EU, state=replace(AWS_STATE, bucket="Voiceplat_State"))


@pytest.mark.parametrize("name", [n for n in CLOUD if ENVIRONMENTS[n].tier.value == "prod"])
def test_each_production_region_keeps_its_state_in_its_own_regions_store(name):
    environment = ENVIRONMENTS[name]
    others = {
        env.state
        for env in ENVIRONMENTS.values()
        if env.cloud is environment.cloud and env.region != environment.region
    }
    assert environment.state.region == environment.region and environment.state not in others


def test_an_environment_keeping_its_state_in_another_regions_store_is_refused():
    with pytest.raises(
        ConfigError, match=r"prod-us\.state: prod-us runs in us-east-1 and keeps its state in eu-west-1"
    ):
        replace(PROD_US, state=AWS_STATE)


@pytest.mark.parametrize("entry", GLOBAL_ENTRIES.values(), ids=lambda entry: entry.name)
def test_a_global_entry_keeps_its_state_in_its_home_regions_store(entry):
    (config,) = backend(entry.name).values()
    store = getattr(entry.state, "bucket", None) or getattr(entry.state, "storage_account", None)
    assert store in config.values() and entry.name in str(config)
