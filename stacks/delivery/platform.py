"""Platform delivery: everything an environment's stack installs on its cluster, through the Helm provider.

Order (each step `depends_on` the one before, so CRDs and webhooks exist before their users):
cluster ready -> add-ons of the cloud (ingress, monitoring, GPU, secrets, autoscaling, tunnel) ->
infrastructure (Temporal, RabbitMQ, LiveKit) -> the platform namespace -> the project's charts,
either as Helm releases (`Delivery.HELM`) or as an ArgoCD ApplicationSet syncing charts/ from git
(`Delivery.GITOPS`, ArgoCD itself installed by the Helm provider).
"""
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from constructs import Construct
from cdktf import ITerraformDependable

from ..connection import ClusterConnection
from ..environments import Delivery, Environment
from .addons import ClusterAddons
from .gitops import GitOps
from .infrastructure import Infrastructure
from .kubeconfig_check import KubeconfigContextCheck
from .platform_charts import PlatformCharts, PlatformNamespace
from .providers import ClusterProviders


@dataclass(frozen=True, kw_only=True)
class ClusterFacts:
    """What the releases need from the cloud stack besides its connection; values may be tokens.

    `chart_values` go to every project chart after its values files (domain, registry, identity);
    `addon_values` are per add-on (its name in stacks/delivery/charts.py) values only the stack knows.
    """

    chart_values: Mapping = field(default_factory=dict)
    addon_values: Mapping[str, Mapping] = field(default_factory=dict)


class PlatformDelivery(Construct):
    def __init__(self, scope: Construct, id_: str, *, environment: Environment, connection: ClusterConnection,
                 cluster_ready: Sequence[ITerraformDependable], facts: ClusterFacts):
        super().__init__(scope, id_)
        ClusterProviders(self, "providers", connection=connection)
        if connection.config_path and connection.config_context:
            cluster_ready = [*cluster_ready, KubeconfigContextCheck(self, "kubeconfig", connection=connection).check]
        self.addons = ClusterAddons(self, "addons", environment=environment, facts=facts, after=cluster_ready)
        self.infrastructure = Infrastructure(self, "infrastructure", cloud=environment.cloud, after=cluster_ready)
        installed_first = [*cluster_ready, *self.addons.releases.values(), *self.infrastructure.releases.values()]
        self.namespace = PlatformNamespace(self, "namespace", depends_on=cluster_ready)
        self.charts = self.gitops = None
        if environment.delivery is Delivery.HELM:
            self.charts = PlatformCharts(self, "charts", environment=environment, namespace=self.namespace,
                                         cluster_values=facts.chart_values, after=installed_first)
        else:
            self.gitops = GitOps(self, "gitops", environment=environment, namespace=self.namespace,
                                 cluster_values=facts.chart_values, after=installed_first)
