"""kind's RabbitMQ chart (stacks/delivery/local-rabbitmq-chart) with the values the local stack generates: the
broker's state on a claim of the local-path class (never emptyDir), its credentials from the stack's Secret, the
platform's pod security, a NetworkPolicy admitting only the declared clients and Prometheus, both scrape paths."""

import json
import tempfile

import pytest

import chartkit
from stacks.delivery.local_rabbitmq import CHART, CREDENTIALS_SECRET, NAMESPACE, local_rabbitmq_values

pytestmark = [pytest.mark.charts, pytest.mark.slow]
CLIENTS = ["media", "rest-api", "text"]


def render(values: dict):
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(values, file)
        file.flush()
        return chartkit.helm("template", "rabbitmq", str(CHART), "--namespace", NAMESPACE, "--values", file.name)


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    result = render(local_rabbitmq_values(CLIENTS))
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)


def test_the_broker_keeps_its_state_on_a_local_path_claim(objects):
    broker = chartkit.by_kind(objects, "StatefulSet")["rabbitmq"]["spec"]
    (claim,) = broker["volumeClaimTemplates"]
    assert claim["spec"]["storageClassName"] == "standard"
    mounts = {m["mountPath"]: m["name"] for m in broker["template"]["spec"]["containers"][0]["volumeMounts"]}
    assert mounts["/var/lib/rabbitmq"] == claim["metadata"]["name"]
    assert claim["metadata"]["name"] not in {v["name"] for v in broker["template"]["spec"]["volumes"]}


def test_the_default_user_comes_from_the_stacks_secret(objects):
    volumes = chartkit.by_kind(objects, "StatefulSet")["rabbitmq"]["spec"]["template"]["spec"]["volumes"]
    assert {"name": "credentials", "secret": {"secretName": CREDENTIALS_SECRET, "defaultMode": 0o440}} in volumes


def test_the_broker_runs_as_the_platform_does(objects):
    spec = chartkit.by_kind(objects, "StatefulSet")["rabbitmq"]["spec"]["template"]["spec"]
    container = spec["containers"][0]["securityContext"]
    assert spec["securityContext"]["runAsNonRoot"] and spec["automountServiceAccountToken"] is False
    assert container == {
        "allowPrivilegeEscalation": False,
        "readOnlyRootFilesystem": True,
        "capabilities": {"drop": ["ALL"]},
    }


def test_only_the_declared_clients_and_prometheus_get_in(objects):
    policy = chartkit.by_kind(objects, "NetworkPolicy")["rabbitmq"]["spec"]
    amqp, metrics = policy["ingress"]
    (peer,) = amqp["from"]
    assert peer["podSelector"]["matchExpressions"][0]["values"] == CLIENTS
    assert peer["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "voiceplat"}
    assert amqp["ports"] == [{"port": 5672, "protocol": "TCP"}]
    assert metrics["from"][0]["namespaceSelector"]["matchLabels"] == {"kubernetes.io/metadata.name": "monitoring"}
    assert policy["egress"] == []


def test_prometheus_scrapes_the_node_wide_and_the_per_queue_metrics(objects):
    monitor = chartkit.by_kind(objects, "ServiceMonitor")["rabbitmq"]["spec"]
    assert {e["path"] for e in monitor["endpoints"]} == {"/metrics", "/metrics/per-object"}


def test_a_broker_without_clients_is_refused_at_render_time():
    result = render(local_rabbitmq_values([]))
    assert result.returncode != 0 and "clients" in result.stderr
