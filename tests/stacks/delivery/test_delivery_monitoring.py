"""Monitoring as the stacks configure it: the local environment's Prometheus, Alertmanager and prometheus-adapter
(stacks/delivery/local_monitoring.py) from the clouds' own facts, and Alertmanager's routing from the model."""

import yaml

from contract import pins
from stacks.delivery.alerting import NULL, alertmanager_config
from stacks.delivery.local_monitoring import STACK_VALUES, local_monitoring_values, prometheus_selectors
from stacks.delivery.rendered import adapter_rules
from stacks.environments import ENVIRONMENTS, Alerting, AlertReceiver


def test_local_prometheus_selects_every_namespaces_monitors_and_rules_as_kube_prometheus_stack_is_set_to():
    selectors = prometheus_selectors(yaml.safe_load(STACK_VALUES.read_text()))
    assert selectors == {
        f"{kind}{part}": {}
        for kind in ("serviceMonitor", "podMonitor", "rule")
        for part in ("Selector", "NamespaceSelector")
    }


def test_a_nil_uses_helm_values_setting_selects_the_releases_own_objects():
    selectors = prometheus_selectors({"prometheus": {"prometheusSpec": {"ruleSelectorNilUsesHelmValues": True}}})
    assert selectors["ruleSelector"] == {"matchLabels": {"release": "kube-prometheus-stack"}}


def test_the_local_adapter_gets_the_very_rules_the_charts_render_for_the_clouds():
    local = ENVIRONMENTS["local"]
    values = local_monitoring_values(local, {}, "http://prometheus:9090")
    rules = adapter_rules(local, {})
    assert values["adapter"]["rules"] == {"rules": rules["rules"], "externalRules": rules["externalRules"]}
    assert any(rule["name"]["as"] == "http_requests_per_second" for rule in rules["rules"])


def test_the_local_images_are_the_pinned_tags_make_tools_builds():
    images = local_monitoring_values(ENVIRONMENTS["local"], {}, "http://prometheus:9090")["images"]
    assert images.items() <= pins.MONITORING_IMAGES.items()


def test_local_alerts_reach_the_in_cluster_webhook_receiver():
    config = alertmanager_config(ENVIRONMENTS["local"].alerting)
    webhook = next(r for r in config["receivers"] if r.get("webhook_configs"))
    assert webhook["webhook_configs"][0]["url"].startswith("http://alert-receiver.monitoring.svc")
    assert [route["receiver"] for route in config["route"]["routes"]] == [webhook["name"]]


def test_an_environment_without_receivers_routes_everything_to_the_null_receiver():
    config = alertmanager_config(Alerting())
    assert config["route"]["receiver"] == NULL and config["route"]["routes"] == []
    assert config["receivers"] == [{"name": NULL}]


def test_slack_and_pagerduty_read_their_secrets_from_mounted_files_routed_by_severity():
    config = alertmanager_config(
        Alerting(
            receivers=(
                AlertReceiver(
                    name="pager", kind="pagerduty", severities=("critical",), secret="alertmanager-pagerduty"
                ),
                AlertReceiver(name="chat", kind="slack", secret="alertmanager-slack", channel="#alerts"),
            )
        )
    )
    receivers = {r["name"]: r for r in config["receivers"]}
    assert (
        receivers["pager"]["pagerduty_configs"][0]["routing_key_file"]
        == "/etc/alertmanager/secrets/alertmanager-pagerduty/routing-key"
    )
    assert receivers["chat"]["slack_configs"][0] == {
        "api_url_file": "/etc/alertmanager/secrets/alertmanager-slack/url",
        "send_resolved": True,
        "channel": "#alerts",
    }
    assert config["route"]["routes"][0]["matchers"] == ['severity=~"critical"']
