"""RabbitMQ's alerting rules (values/rabbitmq-alerts.yaml), one list for every environment: bitnami's chart gets
them as `metrics.prometheusRule.rules` on the clouds (infrastructure.py), the local chart as `alerts` on kind
(local_rabbitmq.py)."""

import yaml

from .helm_addons import VALUES_DIR

ALERTS = VALUES_DIR / "rabbitmq-alerts.yaml"


def rabbitmq_alerts() -> list[dict]:
    return yaml.safe_load(ALERTS.read_text())


def bitnami_rule_values() -> dict:
    """What bitnami's rabbitmq chart takes to ship the rules as a PrometheusRule beside its ServiceMonitors."""
    return {"metrics": {"prometheusRule": {"enabled": True, "rules": rabbitmq_alerts()}}}
