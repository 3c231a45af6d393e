"""Temporal on the local kind cluster, configured as the clouds' is: the values of the local Temporal chart
(local-temporal-chart/), generated from the facts the cloud stacks use.

- the namespaces registered after every install and upgrade are the cloud values' `server.config.namespaces`
  (values/temporal.yaml, read here, not restated), registered the same way (the temporal CLI of admin-tools);
- the alert rules are the clouds' (values/temporal-alerts.yaml, promtool-tested);
- the platform's namespace is the frontend's client (its services' policies name `temporal` as egress), kind's
  nodes reach the HTTP API (the API server's service proxy, as for the charts' ingressFromAll);
- images are the pinned tags `make tools` builds (contract.pins.TEMPORAL_IMAGES);
- PostgreSQL's password is generated once by the stack (generated_secret.py), a sensitive value of the release.
"""

from pathlib import Path

import yaml
from constructs import Construct

import contract
from contract import pins

from ..environments import Cloud
from .environment_values import CLOUD_NODE_PEERS
from .generated_secret import generated_value
from .local_monitoring import SCRAPE_INTERVAL

HERE = Path(__file__).resolve().parent
CHART = HERE / "local-temporal-chart"
CLOUD_VALUES = HERE / "values" / "temporal.yaml"
ALERTS = HERE / "values" / "temporal-alerts.yaml"
PASSWORD = "password"  # the chart's key for the generated PostgreSQL password


def registered_namespaces(cloud_values: dict) -> list[dict]:
    """The namespaces the cloud chart registers (server.config.namespaces, when `create`)."""
    namespaces = cloud_values["server"]["config"]["namespaces"]
    return list(namespaces["namespace"]) if namespaces.get("create") else []


def alert_groups() -> list[dict]:
    return yaml.safe_load(ALERTS.read_text())["groups"]


def local_temporal_values() -> dict:
    return {
        "images": {key: pins.TEMPORAL_IMAGES[key] for key in ("server", "adminTools", "postgresql")},
        "namespaces": registered_namespaces(yaml.safe_load(CLOUD_VALUES.read_text())),
        "clients": [contract.PLATFORM_NAMESPACE],
        "ingressFromAll": list(CLOUD_NODE_PEERS[Cloud.LOCAL]),
        "monitoringNamespace": contract.MONITORING_NAMESPACE,
        "scrapeInterval": SCRAPE_INTERVAL,
        "alertGroups": alert_groups(),
    }


def local_temporal_sensitive(scope: Construct) -> dict:
    return {PASSWORD: generated_value(scope, "temporal-postgresql-password")}
