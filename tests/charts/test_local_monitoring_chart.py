"""The local monitoring chart (stacks/delivery/local-monitoring-chart) as the local stack installs it: it renders
with the values the stack generates, and prometheus-adapter starts only once Prometheus answers."""

import json
import tempfile

import pytest

import chartkit
from stacks.delivery.facts import ClusterFacts
from stacks.delivery.helm_addons import LOCAL_MONITORING, generated_values
from stacks.environments import ENVIRONMENTS

pytestmark = [pytest.mark.charts, pytest.mark.slow]


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    values = generated_values(LOCAL_MONITORING, ENVIRONMENTS["local"], ClusterFacts())
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(values, file)
        file.flush()
        result = chartkit.helm(
            "template",
            LOCAL_MONITORING.name,
            str(LOCAL_MONITORING.chart),
            "--namespace",
            "monitoring",
            "--values",
            file.name,
        )
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)


def test_the_chart_renders_prometheus_alertmanager_the_adapter_and_the_receiver(objects):
    kinds = {(doc["kind"], doc["metadata"]["name"]) for doc in objects}
    assert {
        ("Prometheus", "kube-prometheus-stack"),
        ("Alertmanager", "kube-prometheus-stack"),
        ("Deployment", "prometheus-adapter"),
        ("Deployment", "alert-receiver"),
    } <= kinds


def test_the_adapter_waits_for_the_prometheus_it_queries(objects):
    adapter = chartkit.by_kind(objects, "Deployment")["prometheus-adapter"]["spec"]["template"]["spec"]
    url = next(arg.split("=", 1)[1] for arg in adapter["containers"][0]["args"] if arg.startswith("--prometheus-url="))
    (wait,) = adapter["initContainers"]
    assert {"name": "PROMETHEUS_URL", "value": url} in wait["env"]
    assert "/-/ready" in wait["command"][-1]
