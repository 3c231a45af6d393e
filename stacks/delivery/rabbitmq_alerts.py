"""RabbitMQ's alerting rules (values/rabbitmq-alerts.yaml), one list for every environment: the clouds' cluster
chart (rabbitmq-cluster-chart, infrastructure.py) and kind's local chart (local_rabbitmq.py) both take them as
`alerts` and ship them as a PrometheusRule beside their ServiceMonitor."""

import yaml

from .helm_addons import VALUES_DIR

ALERTS = VALUES_DIR / "rabbitmq-alerts.yaml"


def rabbitmq_alerts() -> list[dict]:
    return yaml.safe_load(ALERTS.read_text())
