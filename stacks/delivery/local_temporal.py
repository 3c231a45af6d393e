"""Temporal on the local kind cluster, where the clouds install the temporal chart (infrastructure.py): the local
chart (local-temporal-chart/) on the images `make tools` builds, configured from the facts the cloud stacks use.

- the namespaces registered after every install and upgrade are the cloud values' `server.config.namespaces`
  (values/temporal.yaml, read here, not restated), registered the same way (the temporal CLI of admin-tools);
- the server's dynamic configuration is the cloud values' `server.dynamicConfig`;
- the alert rules are the clouds' (values/temporal-alerts.yaml, promtool-tested);
- the platform's namespace is the frontend's client (its services' policies name `temporal` as egress), kind's
  nodes reach the HTTP API (the API server's service proxy, as for the charts' ingressFromAll);
- images are the pinned tags `make tools` builds (contract.pins.TEMPORAL_IMAGES);
- the namespace and PostgreSQL's password are objects of the stack (cluster_objects.py): the password generated
  once (generated_secret.py) into the Secret the chart's pods read, never a value of the release.
"""

from collections.abc import Sequence
from pathlib import Path

import yaml
from cdktf import ITerraformDependable
from constructs import Construct

import contract
from contract import pins

from ..environments import Cloud
from .cluster_objects import kubernetes_namespace
from .environment_values import CLOUD_NODE_PEERS
from .generated_secret import generated_secret, generated_value
from .local_monitoring import SCRAPE_INTERVAL
from .release import Timing, release, values_document

HERE = Path(__file__).resolve().parent
CHART = HERE / "local-temporal-chart"
CLOUD_VALUES = HERE / "values" / "temporal.yaml"
ALERTS = HERE / "values" / "temporal-alerts.yaml"
NAMESPACE = "temporal"  # the clouds' too (infrastructure.py)
RELEASE = "temporal"
PASSWORD_SECRET = "temporal-postgresql"  # the chart's pods read its `password` key
PASSWORD_KEY = "password"


def registered_namespaces(cloud_values: dict) -> list[dict]:
    """The namespaces the cloud chart registers (server.config.namespaces, when `create`)."""
    namespaces = cloud_values["server"]["config"]["namespaces"]
    return list(namespaces["namespace"]) if namespaces.get("create") else []


def alert_groups() -> list[dict]:
    return yaml.safe_load(ALERTS.read_text())["groups"]


def local_temporal_values() -> dict:
    cloud = yaml.safe_load(CLOUD_VALUES.read_text())
    return {
        "images": {key: pins.TEMPORAL_IMAGES[key] for key in ("server", "adminTools", "postgresql")},
        "passwordSecret": PASSWORD_SECRET,
        "namespaces": registered_namespaces(cloud),
        "dynamicConfig": cloud["server"].get("dynamicConfig", {}),
        "clients": [contract.PLATFORM_NAMESPACE],
        "ingressFromAll": list(CLOUD_NODE_PEERS[Cloud.LOCAL]),
        "monitoringNamespace": contract.MONITORING_NAMESPACE,
        "scrapeInterval": SCRAPE_INTERVAL,
        "alertGroups": alert_groups(),
    }


class LocalTemporal(Construct):
    """Temporal's namespace, PostgreSQL's password Secret, and the release."""

    def __init__(self, scope: Construct, id_: str, *, after: Sequence[ITerraformDependable]):
        super().__init__(scope, id_)
        namespace = kubernetes_namespace(self, "namespace", name=NAMESPACE, depends_on=after)
        self.releases = {}
        self.releases[PASSWORD_SECRET] = generated_secret(
            self,
            "password",
            name=PASSWORD_SECRET,
            namespace=NAMESPACE,
            sensitive={PASSWORD_KEY: generated_value(self, "postgresql-password")},
            depends_on=[namespace],
        )
        self.releases[RELEASE] = release(
            self,
            RELEASE,
            name=RELEASE,
            namespace=NAMESPACE,
            chart=CHART,
            timing=Timing.SLOW,
            values=[values_document(local_temporal_values())],
            depends_on=[*after, namespace, self.releases[PASSWORD_SECRET]],
        )
