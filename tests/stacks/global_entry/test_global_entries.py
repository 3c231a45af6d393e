"""Each cloud's global entry: DNS over its production regions that answers with the nearest healthy one (Route 53
latency records with a /readyz health check each; Traffic Manager Performance profiles probing /readyz), reading
each region's hosts from the region's own state, with the failover settings of stacks/global_entry/failover.py."""

import pytest

from stacks.delivery.public_hosts import HEALTH_PATH, host_labels
from stacks.environments import ENVIRONMENTS, Cloud, Tier
from stacks.environments.catalog import GLOBAL_ENTRIES
from stacks.global_entry import failover
from synthkit import all_stacks, start_app_runs

start_app_runs()

AWS_REGIONS = [env for env in ENVIRONMENTS.values() if env.cloud is Cloud.AWS and env.tier is Tier.PROD]
AZURE_REGIONS = [env for env in ENVIRONMENTS.values() if env.cloud is Cloud.AZURE and env.tier is Tier.PROD]


def resources(name: str, kind: str) -> dict:
    return all_stacks()[name].stack_json(name)["resource"][kind]


def remote_state(name: str, environment) -> str:
    return f"data.terraform_remote_state.region-{environment.name}"


def test_the_regions_outputs_are_read_from_each_regions_own_store():
    found = all_stacks()["global-aws"].stack_json("global-aws")["data"]["terraform_remote_state"]
    configs = {body["config"]["key"]: body["config"] for body in found.values()}
    assert set(configs) == {f"{env.name}/terraform.tfstate" for env in AWS_REGIONS}
    for env in AWS_REGIONS:
        assert configs[f"{env.name}/terraform.tfstate"]["bucket"] == env.state.bucket
        assert configs[f"{env.name}/terraform.tfstate"]["region"] == env.region


def test_each_aws_region_gets_a_latency_record_per_global_name_with_a_short_ttl():
    records = [r for r in resources("global-aws", "aws_route53_record").values() if "set_identifier" in r]
    entry = GLOBAL_ENTRIES["global-aws"]
    expected = {(entry.host(label), env.name, env.region) for env in AWS_REGIONS for label in host_labels()}
    assert {(r["name"], r["set_identifier"], r["latency_routing_policy"]["region"]) for r in records} == expected
    assert {(r["type"], r["ttl"]) for r in records} == {("CNAME", failover.AWS.ttl_s)}
    for record in records:
        label = record["name"].split(".")[0]
        assert record["records"] == [
            f"${{{remote_state('global-aws', ENVIRONMENTS[record['set_identifier']])}.outputs.public_hosts.{label}}}"
        ]
        assert record["health_check_id"].startswith("${aws_route53_health_check.")


def test_each_record_is_guarded_by_a_fast_https_check_of_its_regions_readyz():
    checks = list(resources("global-aws", "aws_route53_health_check").values())
    assert len(checks) == len(AWS_REGIONS) * len(host_labels())
    for check in checks:
        assert (check["type"], check["port"], check["resource_path"], check["enable_sni"]) == (
            "HTTPS",
            443,
            HEALTH_PATH,
            True,
        )
        assert (check["request_interval"], check["failure_threshold"]) == (10, 3)
        assert ".outputs.public_hosts." in check["fqdn"]


def test_the_global_names_are_served_with_tls_in_every_aws_region():
    entry = GLOBAL_ENTRIES["global-aws"]
    for env in AWS_REGIONS:
        (certificate,) = resources(env.name, "aws_acm_certificate").values()
        names = {certificate["domain_name"], *certificate["subject_alternative_names"]}
        assert names == {entry.host(label) for label in host_labels()}
        assert certificate["validation_method"] == "DNS"


def test_images_are_replicated_from_the_release_registry_into_every_aws_region():
    (replication,) = resources("global-aws", "aws_ecr_replication_configuration").values()
    (rule,) = replication["replication_configuration"]["rule"]
    assert {d["region"] for d in rule["destination"]} == {env.region for env in AWS_REGIONS}
    assert rule["repository_filter"] == [{"filter": "global-aws/", "filter_type": "PREFIX_MATCH"}]
    for env in AWS_REGIONS:
        (policy,) = resources(env.name, "aws_ecr_registry_policy").values()
        assert GLOBAL_ENTRIES["global-aws"].account in policy["policy"] and "ecr:ReplicateImage" in policy["policy"]


def test_the_azure_entry_routes_by_performance_and_probes_readyz_fast():
    profiles = list(resources("global-azure", "azurerm_traffic_manager_profile").values())
    assert len(profiles) == len(host_labels())
    for profile in profiles:
        assert profile["traffic_routing_method"] == "Performance"
        assert profile["dns_config"]["ttl"] == failover.AZURE.ttl_s
        monitor = profile["monitor_config"]
        assert (monitor["protocol"], monitor["port"], monitor["path"]) == ("HTTPS", 443, HEALTH_PATH)
        assert (monitor["interval_in_seconds"], monitor["tolerated_number_of_failures"]) == (10, 2)
        assert monitor["timeout_in_seconds"] < monitor["interval_in_seconds"]


def test_each_azure_region_is_an_endpoint_of_every_profile_at_its_own_location():
    endpoints = resources("global-azure", "azurerm_traffic_manager_external_endpoint").values()
    assert {(e["name"], e["endpoint_location"]) for e in endpoints} == {(env.name, env.region) for env in AZURE_REGIONS}
    assert len(endpoints) == len(AZURE_REGIONS) * len(host_labels()) and len(AZURE_REGIONS) >= 2


def test_the_azure_release_registry_has_a_replica_in_every_other_region_and_each_kubelet_pulls():
    (registry,) = resources("global-azure", "azurerm_container_registry").values()
    home = GLOBAL_ENTRIES["global-azure"].region
    assert {replica["location"] for replica in registry["georeplications"]} == {env.region for env in AZURE_REGIONS} - {
        home
    }
    pulls = [
        r
        for r in resources("global-azure", "azurerm_role_assignment").values()
        if r["role_definition_name"] == "AcrPull"
    ]
    assert len(pulls) == len(AZURE_REGIONS)


@pytest.mark.parametrize("env", AWS_REGIONS + AZURE_REGIONS, ids=lambda env: env.name)
def test_a_region_publishes_its_public_hosts_for_the_global_entry(env):
    outputs = all_stacks()[env.name].stack_json(env.name)["output"]
    assert outputs["public_hosts"]["value"] == {label: f"{label}.{env.ingress.domain}" for label in host_labels()}


def test_the_failover_budgets_fit_in_a_minute_or_two_and_beat_the_defaults():
    assert (failover.AWS.budget_s, failover.AZURE.budget_s) == (60, 60)
    assert (failover.AWS_DEFAULT.budget_s, failover.AZURE_DEFAULT.budget_s) == (390, 180)
