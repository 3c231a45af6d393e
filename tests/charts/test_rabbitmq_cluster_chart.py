"""The clouds' RabbitMQ cluster chart (stacks/delivery/rabbitmq-cluster-chart) with values/rabbitmq.yaml and what
the stack adds: Prometheus scrapes both paths kind's broker is scraped on, as the job the alerts and the
infrastructure dashboard read, and the alerts ship as a PrometheusRule."""

import json
import tempfile

import pytest

import chartkit
from stacks.delivery.helm_addons import VALUES_DIR
from stacks.delivery.infrastructure import CHARTS_DIR, GENERATED
from stacks.delivery.rabbitmq_alerts import rabbitmq_alerts

pytestmark = [pytest.mark.charts, pytest.mark.slow]
CHART = CHARTS_DIR / "rabbitmq-cluster-chart"


@pytest.fixture(scope="module")
def objects() -> list[dict]:
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(GENERATED["rabbitmq"], file)
        file.flush()
        result = chartkit.helm(
            "template", "rabbitmq", str(CHART), "--namespace", "rabbitmq",
            "--values", str(VALUES_DIR / "rabbitmq.yaml"), "--values", file.name,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)


def test_prometheus_scrapes_the_node_wide_and_the_per_queue_metrics_apart(objects):
    monitor = chartkit.by_kind(objects, "ServiceMonitor")["rabbitmq"]["spec"]
    assert {e["path"] for e in monitor["endpoints"]} == {"/metrics", "/metrics/per-object"}
    for endpoint in monitor["endpoints"]:
        assert {"sourceLabels": ["__metrics_path__"], "targetLabel": "metrics_path"} in endpoint["relabelings"]


def test_the_alerts_kind_gets_ship_as_a_prometheus_rule(objects):
    (group,) = chartkit.by_kind(objects, "PrometheusRule")["rabbitmq"]["spec"]["groups"]
    assert group["rules"] == rabbitmq_alerts()
