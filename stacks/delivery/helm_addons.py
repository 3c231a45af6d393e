"""The cluster add-ons each cloud gets, as Helm releases in dependency order.

What a cloud already runs is listed in PROVIDED with where it comes from, so nothing is installed twice
(kind's metrics-server comes with `make cluster`; AKS runs metrics-server, the Key Vault CSI driver
and the node autoscaler itself). Values: `values/<name>.yaml`, then `values/<name>-<cloud>.yaml` when
present, then what is generated here (GPU placement from the contract, the charts' adapter rules),
then what only the cloud stack knows (`ClusterFacts.addon_values`: roles, VPC, cluster name).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cdktf import ITerraformDependable, TerraformVariable
from constructs import Construct

import contract

from ..environments import Cloud, ConfigError, Environment
from .alerting import kube_prometheus_stack_alerting
from .facts import ClusterFacts
from .infra_monitoring import CHART as INFRA_MONITORING_CHART, infra_monitoring_values
from .local_monitoring import CHART as LOCAL_MONITORING_CHART, local_monitoring_values
from .local_temporal import alert_groups as temporal_alert_groups
from .release import Timing, release, values_document, values_file
from .rendered import adapter_rules, stand_ins
from .upstream_charts import CHARTS

VALUES_DIR = Path(__file__).resolve().parent / "values"
MONITORING_NAMESPACE = contract.MONITORING_NAMESPACE  # the charts' global.networkPolicy.monitoringNamespace
PROMETHEUS_URL = f"http://kube-prometheus-stack-prometheus.{MONITORING_NAMESPACE}.svc"
PROMETHEUS_PORT = 9090


@dataclass(frozen=True, kw_only=True)
class Addon:
    name: str  # release name, key of upstream_charts.CHARTS, stem of its values files
    namespace: str
    timing: Timing = Timing.QUICK
    needs: tuple[str, ...] = ()  # add-ons whose CRDs or admission webhooks this one's objects use
    chart: Path | None = None  # a chart of this project instead of upstream_charts.CHARTS[name]


METRICS_SERVER = Addon(name="metrics-server", namespace="kube-system")
MONITORING = Addon(name="kube-prometheus-stack", namespace=MONITORING_NAMESPACE, timing=Timing.SLOW)
# F5 NGINX Ingress Controller; its ServiceMonitor is a kind of kube-prometheus-stack's CRDs.
INGRESS = Addon(name="nginx-ingress", namespace=contract.NGINX_INGRESS_NAMESPACE, needs=(MONITORING.name,))
ADAPTER = Addon(name="prometheus-adapter", namespace=MONITORING_NAMESPACE, needs=(MONITORING.name,))
GPU_PLUGIN = Addon(name="nvidia-device-plugin", namespace="kube-system")
GPU_METRICS = Addon(name="dcgm-exporter", namespace=MONITORING_NAMESPACE, needs=(MONITORING.name,))
TUNNEL = Addon(name="cloudflared", namespace="cloudflared", needs=(INGRESS.name,))
AWS_LOAD_BALANCER = Addon(name="aws-load-balancer-controller", namespace="kube-system")
SECRETS_DRIVER = Addon(name="secrets-store-csi-driver", namespace="kube-system")
# kind: Prometheus, Alertmanager, prometheus-adapter and the alert receiver on the operator the cluster runs.
LOCAL_MONITORING = Addon(name="local-monitoring", namespace=MONITORING_NAMESPACE, chart=LOCAL_MONITORING_CHART)
# Dashboards of the infrastructure (and ArgoCD's alerts in GitOps mode), on the operator's CRDs: infra_monitoring.py.
INFRA_MONITORING = Addon(
    name="infra-monitoring", namespace=MONITORING_NAMESPACE, needs=(MONITORING.name,), chart=INFRA_MONITORING_CHART
)
LOCAL_INFRA_MONITORING = Addon(
    name=INFRA_MONITORING.name,
    namespace=MONITORING_NAMESPACE,
    needs=(LOCAL_MONITORING.name,),
    chart=INFRA_MONITORING_CHART,
)

ADDONS: dict[Cloud, tuple[Addon, ...]] = {
    Cloud.LOCAL: (LOCAL_MONITORING, LOCAL_INFRA_MONITORING),
    Cloud.AWS: (
        AWS_LOAD_BALANCER,
        METRICS_SERVER,
        MONITORING,
        # NGINX's Service is an NLB the load balancer controller provisions (its webhook must be up).
        Addon(name=INGRESS.name, namespace=INGRESS.namespace, needs=(AWS_LOAD_BALANCER.name, *INGRESS.needs)),
        ADAPTER,
        GPU_PLUGIN,
        GPU_METRICS,
        SECRETS_DRIVER,
        Addon(name="secrets-store-csi-driver-provider-aws", namespace="kube-system", needs=(SECRETS_DRIVER.name,)),
        Addon(name="cluster-autoscaler", namespace="kube-system"),
        TUNNEL,
        INFRA_MONITORING,
    ),
    Cloud.AZURE: (MONITORING, INGRESS, ADAPTER, GPU_PLUGIN, GPU_METRICS, TUNNEL, INFRA_MONITORING),
}
PROVIDED: dict[Cloud, dict[str, str]] = {
    Cloud.LOCAL: {
        "metrics-server": "the cluster bootstrap installs it at 15 s resolution (bootstrap/cluster.py)",
        "prometheus-operator, kube-state-metrics": "the cluster bootstrap installs them (bootstrap/monitoring.py)",
    },
    Cloud.AWS: {},
    Cloud.AZURE: {
        "metrics-server": "AKS runs it as part of every cluster",
        "secrets-store-csi-driver": "the AKS Key Vault secrets provider add-on (stacks/cluster/azure.py)",
        "cluster-autoscaler": "AKS node pools autoscale themselves (auto_scaling_enabled)",
    },
}
# cluster-autoscaler supports only the Kubernetes minor of its own version: its image follows the cluster's
# (environment.cluster.kubernetes_version), one pinned release per minor.
CLUSTER_AUTOSCALER = "cluster-autoscaler"
CLUSTER_AUTOSCALER_IMAGES = {"1.32": "v1.32.7", "1.33": "v1.33.6", "1.34": "v1.34.5", "1.35": "v1.35.1"}
# The tunnel's token is a secret: it comes from TF_VAR_cloudflare_tunnel_token when Terraform runs.
TUNNEL_TOKEN_VARIABLE = "cloudflare_tunnel_token"


def gpu_placement() -> dict:
    """nodeSelector and toleration that put a DaemonSet on GPU nodes only (the contract's label and taint)."""
    taint = contract.GPU_TAINT
    return {
        "nodeSelector": {contract.GPU_NODE_LABEL_KEY: contract.GPU_NODE_LABEL_VALUE},
        "tolerations": [{"key": taint.key, "operator": "Equal", "value": taint.value, "effect": taint.effect}],
    }


def generated_values(addon: Addon, environment: Environment, facts: ClusterFacts) -> dict:
    """What this module derives for an add-on: GPU placement from the contract, the charts' adapter rules,
    Alertmanager's routing and its receivers' secrets."""
    chart_values = facts.chart_values
    if addon.name in (GPU_PLUGIN.name, GPU_METRICS.name):
        return gpu_placement()
    if addon.name == CLUSTER_AUTOSCALER:
        minor = environment.cluster.kubernetes_version
        if minor not in CLUSTER_AUTOSCALER_IMAGES:
            raise ConfigError(
                f"{environment.name}.cluster.kubernetes_version",
                f"no cluster-autoscaler release pinned for Kubernetes {minor}",
                "add its tag to CLUSTER_AUTOSCALER_IMAGES in "
                "stacks/delivery/helm_addons.py (registry.k8s.io/autoscaling/cluster-autoscaler)",
            )
        return {"image": {"tag": CLUSTER_AUTOSCALER_IMAGES[minor]}}
    if addon.name == ADAPTER.name:
        rules = adapter_rules(environment, stand_ins(chart_values))
        return {
            "prometheus": {"url": PROMETHEUS_URL, "port": PROMETHEUS_PORT},
            "rules": {"default": False, "custom": rules["rules"], "external": rules["externalRules"]},
        }
    if addon.name == MONITORING.name:
        # Temporal's alerts, the ones kind's Temporal chart carries (local_temporal.py): one source for both.
        return kube_prometheus_stack_alerting(environment, facts.alertmanager) | {
            "additionalPrometheusRulesMap": {"temporal": {"groups": temporal_alert_groups()}}
        }
    if addon.name == INFRA_MONITORING.name:
        return infra_monitoring_values(environment)
    if addon.name == LOCAL_MONITORING.name:
        return local_monitoring_values(environment, chart_values, f"{PROMETHEUS_URL}:{PROMETHEUS_PORT}")
    return {}


def values_files(addon: Addon, cloud: Cloud) -> list[Path]:
    return [
        path
        for path in (VALUES_DIR / f"{addon.name}.yaml", VALUES_DIR / f"{addon.name}-{cloud.value}.yaml")
        if path.is_file()
    ]


class ClusterAddons(Construct):
    """The cloud's add-ons, each after `after` and after the add-ons it needs."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: Environment,
        facts: ClusterFacts,
        after: Sequence[ITerraformDependable],
    ):
        super().__init__(scope, id_)
        self.releases = {}
        for addon in ADDONS[environment.cloud]:
            generated = generated_values(addon, environment, facts)
            generated |= dict(facts.addon_values.get(addon.name, {}))
            values = [values_file(self, path) for path in values_files(addon, environment.cloud)]
            sensitive = {}
            if addon.name == TUNNEL.name:
                token = TerraformVariable(
                    self,
                    TUNNEL_TOKEN_VARIABLE,
                    type="string",
                    sensitive=True,
                    description="Cloudflare tunnel token (remotely managed tunnel)",
                )
                token.override_logical_id(TUNNEL_TOKEN_VARIABLE)
                sensitive = {"cloudflare.tunnel_token": token.string_value}
            self.releases[addon.name] = release(
                self,
                addon.name,
                name=addon.name,
                namespace=addon.namespace,
                create_namespace=True,
                chart=addon.chart or CHARTS[addon.name],
                timing=addon.timing,
                values=values + ([values_document(generated)] if generated else []),
                sensitive=sensitive,
                depends_on=[*after, *(self.releases[name] for name in addon.needs)],
            )
