"""Monitoring of the infrastructure beside the platform's services (infra-monitoring-chart/), installed as an add-on
on kind and in the clouds alike: the Grafana dashboards of Temporal, PostgreSQL, RabbitMQ, LiveKit and Redis, and with
GitOps delivery ArgoCD's dashboard and alert rules. The dashboards reach Grafana as the service charts' do: ConfigMaps
with the sidecar's label and folder annotation, read here from the charts' shared values (one source)."""

from pathlib import Path

import yaml

import contract

from ..environments import Cloud, Delivery, Environment
from .argocd_install import ARGOCD_FROM_CLUSTER
from .project_charts import CHARTS_DIR

CHART = Path(__file__).resolve().parent / "infra-monitoring-chart"
SHARED_VALUES = CHARTS_DIR / "voiceplat-lib" / "schema" / "shared-values.yaml"
# The dashboards by cloud: the infrastructure that runs there and exports the series they plot (infrastructure.py on
# the clouds, the local charts on kind). The clouds' Temporal keeps its state in the managed PostgreSQL
# (stacks/database/), whose metrics the cloud's monitor keeps (CloudWatch, Azure Monitor): no exporter in the cluster
# reads it, so the PostgreSQL dashboard is kind's; their LiveKit Redis runs without an exporter (livekit-redis.yaml).
CLOUD_DASHBOARDS = ("temporal", "rabbitmq", "livekit")
DASHBOARDS: dict[Cloud, tuple[str, ...]] = {
    Cloud.LOCAL: ("temporal", "postgresql", "rabbitmq", "livekit", "redis"),
    Cloud.AWS: CLOUD_DASHBOARDS,
    Cloud.AZURE: CLOUD_DASHBOARDS,
}
GITOPS_DASHBOARDS = ("argocd",)
FOLDER = "infrastructure"  # the Grafana folder, beside the service charts' `voiceplat`


def sidecar() -> dict:
    """How the Grafana sidecar finds a dashboard: the service charts' global.monitoring.dashboards settings."""
    settings = yaml.safe_load(SHARED_VALUES.read_text())["global"]["monitoring"]["dashboards"]
    return {key: settings[key] for key in ("label", "labelValue", "folderAnnotation")} | {"folder": FOLDER}


def dashboards(environment: Environment) -> list[str]:
    gitops = environment.delivery is Delivery.GITOPS
    return [*DASHBOARDS[environment.cloud], *(GITOPS_DASHBOARDS if gitops else ())]


def infra_monitoring_values(environment: Environment) -> dict:
    gitops = environment.delivery is Delivery.GITOPS
    return {
        "sidecar": sidecar(),
        "dashboards": dashboards(environment),
        "argocd": {
            "alerts": gitops,
            "namespace": contract.ARGOCD_NAMESPACE,
            # kind's ArgoCD (the cluster bootstrap's install manifest) has metrics Services but no ServiceMonitors;
            # the clouds' argo-cd chart makes its own (values/argo-cd.yaml).
            "serviceMonitors": gitops and environment.cloud in ARGOCD_FROM_CLUSTER,
        },
    }
