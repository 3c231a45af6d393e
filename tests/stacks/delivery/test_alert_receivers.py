"""Alerts reach a person: production routes its critical alerts to a receiver, its secrets come from the cloud's
secret store through an identity of Alertmanager's own, and an environment that drops its alerts says so."""

import re
from dataclasses import replace

import pytest
import yaml
from cdktf_cdktf_provider_azurerm.federated_identity_credential import FederatedIdentityCredential
from cdktf_cdktf_provider_azurerm.key_vault import KeyVault
from cdktf_cdktf_provider_azurerm.role_assignment import RoleAssignment
from cdktf_cdktf_provider_azurerm.user_assigned_identity import UserAssignedIdentity

import contract
from deliverykit import FACTS, eks_addons, has_store_reader_role, store_reader_role
from stacks.delivery.alerting import NULL, PROVIDER_CLASS, SECRET_FILES, aws_alerting_path
from stacks.delivery.azure import AzureWorkloadIdentity
from stacks.delivery.secret_sources import source_of
from stacks.environments import ENVIRONMENTS, Alerting, AlertReceiver, Cloud, ConfigError, ReceiverKind, Tier
from stacks.environments.catalog import PREVIEW_EU, PROD_EU
from stacks.managed_addons.aws import ALERTMANAGER
from synthkit import construct_json
from upstreamkit import release_values

PRODUCTION = [name for name, env in ENVIRONMENTS.items() if env.tier is Tier.PROD]
SEVERITY = re.compile(r'^severity=~"(?P<values>[a-z|]+)"$')


def refused(build) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        build()
    return info.value


def test_a_production_environment_without_a_receiver_is_refused_with_the_field_and_the_fix():
    error = refused(lambda: replace(PROD_EU, alerting=Alerting()))
    assert error.path == "prod-eu.alerting.receivers"
    assert "critical alerts" in error.problem and "null receiver would drop them" in error.problem
    assert "kind='pagerduty'" in error.fix and "docs/cloud-runbook.md, 'Alert receivers'" in error.fix
    assert str(error).startswith("prod-eu.alerting.receivers: no receiver takes this production environment's ")


def test_a_production_receiver_of_warnings_only_does_not_count():
    warnings = AlertReceiver(name="chat", kind="slack", severities=("warning",), secret="alertmanager-slack")
    assert (
        refused(lambda: replace(PROD_EU, alerting=Alerting(receivers=(warnings,)))).path == "prod-eu.alerting.receivers"
    )


def test_a_production_environment_cannot_state_a_reason_to_drop_its_alerts():
    alerting = replace(PROD_EU.alerting, null_receiver_reason="nobody wants to be woken up at night for this")
    assert refused(lambda: replace(PROD_EU, alerting=alerting)).path == "prod-eu.alerting.null_receiver_reason"


def test_a_preview_without_receivers_must_say_why_it_drops_its_alerts():
    error = refused(lambda: replace(PREVIEW_EU, alerting=Alerting()))
    assert error.path == "preview-eu.alerting.receivers" and "null_receiver_reason" in error.fix


@pytest.mark.parametrize("name", [n for n, env in ENVIRONMENTS.items() if env.tier is Tier.PREVIEW])
def test_the_previews_keep_the_null_receiver_explicitly(name):
    alerting = ENVIRONMENTS[name].alerting
    assert not alerting.receivers and len(alerting.null_receiver_reason.split()) >= 5


@pytest.mark.parametrize(
    "receiver, path",
    [
        (AlertReceiver(name="chat", kind="slack"), "prod-eu.alerting.receivers[0].secret"),
        (
            AlertReceiver(name="chat", kind="slack", secret="s", url="https://hooks.slack.com/x"),
            "prod-eu.alerting.receivers[0].url",
        ),
        (AlertReceiver(name="pager", kind="opsgenie", secret="s"), "prod-eu.alerting.receivers[0].kind"),
        (AlertReceiver(name="null", kind="pagerduty", secret="s"), "prod-eu.alerting.receivers[0].name"),
        (
            AlertReceiver(name="pager", kind="pagerduty", secret="s", severities=("page",)),
            "prod-eu.alerting.receivers[0].severities",
        ),
        (AlertReceiver(name="hook", kind="webhook"), "prod-eu.alerting.receivers[0].url"),
    ],
)
def test_a_malformed_receiver_is_refused_at_its_field(receiver, path):
    assert refused(lambda: replace(PROD_EU, alerting=Alerting(receivers=(receiver,)))).path == path


def routed(config: dict, severity: str) -> list[dict]:
    """The receivers Alertmanager notifies for an alert of `severity` (routes with `continue`, else the root's)."""
    names = [
        route["receiver"]
        for route in config["route"]["routes"]
        if any(severity in SEVERITY.match(m)["values"].split("|") for m in route["matchers"])
    ]
    receivers = {receiver["name"]: receiver for receiver in config["receivers"]}
    return [receivers[name] for name in names or [config["route"]["receiver"]]]


@pytest.mark.parametrize("env", PRODUCTION)
def test_each_production_environment_routes_critical_alerts_to_a_receiver_that_notifies(env):
    config = release_values(env, "kube-prometheus-stack")["alertmanager"]["config"]
    receivers = routed(config, "critical")
    assert receivers and NULL not in [receiver["name"] for receiver in receivers], receivers
    assert all(
        receiver.get("pagerduty_configs") or receiver.get("slack_configs") or receiver.get("webhook_configs")
        for receiver in receivers
    ), receivers


@pytest.mark.parametrize("env", PRODUCTION)
def test_each_secret_a_production_receiver_reads_is_synced_from_the_store_by_alertmanagers_own_identity(env):
    environment = ENVIRONMENTS[env]
    values = release_values(env, "kube-prometheus-stack")
    spec = values["alertmanager"]["alertmanagerSpec"]
    (provider,) = values["extraManifests"]
    synced = {item["secretName"]: item["data"] for item in provider["spec"]["secretObjects"]}
    assert set(spec["secrets"]) == set(synced) == {r.secret for r in environment.alerting.receivers if r.secret}
    for receiver in environment.alerting.receivers:
        assert synced[receiver.secret][0]["key"] == SECRET_FILES[ReceiverKind(receiver.kind)][2]
        assert source_of("kube-prometheus-stack", receiver.secret)[0] == "secret-store"
    assert provider["metadata"] == {"name": PROVIDER_CLASS, "namespace": contract.MONITORING_NAMESPACE}
    (volume,) = spec["volumes"]
    assert volume["csi"]["volumeAttributes"]["secretProviderClass"] == PROVIDER_CLASS
    assert [mount["name"] for mount in spec["volumeMounts"]] == [volume["name"]]
    reader = FACTS[environment.cloud].alertmanager
    assert values["alertmanager"]["serviceAccount"] == {
        "create": True,
        "name": contract.ALERTMANAGER_ACCOUNT,
        "annotations": dict(reader.annotations),
    }
    assert dict(reader.parameters).items() <= provider["spec"]["parameters"].items()


def test_on_aws_the_receivers_secrets_live_outside_the_workloads_path():
    environment = ENVIRONMENTS["prod-eu"]
    objects = yaml.safe_load(
        release_values("prod-eu", "kube-prometheus-stack")["extraManifests"][0]["spec"]["parameters"]["objects"]
    )
    assert {item["objectName"] for item in objects} == {
        f"voiceplat/alerting/prod-eu/{name}" for name in ("alertmanager-pagerduty", "alertmanager-slack")
    }
    assert aws_alerting_path(environment) == "voiceplat/alerting/prod-eu"


def test_on_aws_alertmanagers_role_trusts_its_account_and_reads_the_receivers_secrets_only():
    names = ("voiceplat/alerting/prod-eu/alertmanager-pagerduty", "voiceplat/alerting/prod-eu/alertmanager-slack")
    subject, statement = store_reader_role(eks_addons(alertmanager_secrets=names), ALERTMANAGER)
    assert subject == f"system:serviceaccount:{contract.MONITORING_NAMESPACE}:{contract.ALERTMANAGER_ACCOUNT}"
    assert [resource.split(":secret:")[1] for resource in statement["Resource"]] == [f"{n}-??????" for n in names]


def test_the_local_environment_keeps_its_in_cluster_webhook_and_needs_no_store():
    (receiver,) = ENVIRONMENTS["local"].alerting.receivers
    assert receiver.kind == "webhook" and receiver.url.startswith("http://alert-receiver.")
    assert ENVIRONMENTS["local"].cloud is Cloud.LOCAL and not receiver.secret


def test_on_azure_alertmanager_reads_a_vault_of_its_own_with_an_identity_federated_to_its_account():
    synth = construct_json(
        lambda stack: AzureWorkloadIdentity(
            stack,
            "identity",
            environment=ENVIRONMENTS["prod-eu-az"],
            resource_group_name="rg",
            vnet_id="vnet",
            subnet_id="subnet",
            oidc_issuer_url="https://issuer.example",
            tags={},
        )
    )
    identities = {key: i["name"] for key, i in synth.doc["resource"][UserAssignedIdentity.TF_RESOURCE_TYPE].items()}
    vaults = {key: v["name"] for key, v in synth.doc["resource"][KeyVault.TF_RESOURCE_TYPE].items()}
    (identity,) = [key for key, name in identities.items() if name.endswith("-alertmanager")]
    (vault,) = [key for key, name in vaults.items() if name == "kv-alerts-prod-eu-az"]
    scopes = [a["scope"] for a in synth.resources(RoleAssignment.TF_RESOURCE_TYPE) if identity in a["principal_id"]]
    assert len(scopes) == 1 and vault in scopes[0]
    assert not [
        a
        for a in synth.resources(RoleAssignment.TF_RESOURCE_TYPE)
        if vault in a["scope"] and identity not in a["principal_id"]
    ]
    (federated,) = [
        f for f in synth.resources(FederatedIdentityCredential.TF_RESOURCE_TYPE) if identity in f["parent_id"]
    ]
    assert (
        federated["subject"] == f"system:serviceaccount:{contract.MONITORING_NAMESPACE}:{contract.ALERTMANAGER_ACCOUNT}"
    )


def test_a_preview_gets_no_alertmanager_identity():
    assert not has_store_reader_role(eks_addons(), ALERTMANAGER)
