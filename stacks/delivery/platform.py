"""Platform delivery: everything an environment's stack installs on its cluster, through the Helm provider (charts)
and the Kubernetes provider (the objects the stack owns: namespaces, StorageClasses, generated Secrets).

Order (`depends_on`, so CRDs and webhooks exist before their users): once the cluster is ready, the
StorageClasses the cloud lacks (cluster_storage.py), then the cloud's add-ons (ingress, monitoring, GPU, secrets,
autoscaling, tunnel; each after those it needs), the infrastructure (Temporal, RabbitMQ, LiveKit), the platform
namespace and the Secret of LiveKit's keys the voice service reads (livekit_keys.py, kind included); after all of
them, the project's charts, either as Helm releases (`Delivery.HELM`) or as an ArgoCD ApplicationSet syncing
charts/ from git (`Delivery.GITOPS`, ArgoCD itself installed by the Helm provider).
"""

from collections.abc import Sequence

from cdktf import ITerraformDependable
from constructs import Construct

from ..connection import ClusterConnection
from ..environments import Cloud, Delivery, Environment
from .cluster_storage import ClusterStorage
from .facts import ClusterFacts
from .gitops import GitOps
from .helm_addons import ClusterAddons
from .infrastructure import Infrastructure
from .kubeconfig_check import KubeconfigContextCheck
from .livekit_keys import LiveKitKeys
from .local_rabbitmq import LocalRabbitMQ
from .local_temporal import LocalTemporal
from .platform_charts import PlatformCharts, PlatformNamespace
from .providers import ClusterProviders


class PlatformDelivery(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: Environment,
        connection: ClusterConnection,
        cluster_ready: Sequence[ITerraformDependable],
        facts: ClusterFacts,
    ):
        super().__init__(scope, id_)
        ClusterProviders(self, "providers", connection=connection)
        if connection.config_path and connection.config_context:
            cluster_ready = [*cluster_ready, KubeconfigContextCheck(self, "kubeconfig", connection=connection).check]
        self.storage = ClusterStorage(
            self, "storage", cloud=environment.cloud, facts=facts.storage, after=cluster_ready
        )
        # every volume claim needs its class, the default one included
        cluster_ready = [*cluster_ready, *self.storage.classes.values()]
        self.addons = ClusterAddons(self, "addons", environment=environment, facts=facts, after=cluster_ready)
        self.namespace = PlatformNamespace(self, "namespace", depends_on=cluster_ready)
        self.livekit_keys = LiveKitKeys(self, "livekit-keys", platform=self.namespace, after=cluster_ready)
        cluster = environment.cluster
        self.infrastructure = Infrastructure(
            self,
            "infrastructure",
            cloud=environment.cloud,
            livekit_keys=self.livekit_keys,
            after=cluster_ready,
            node_subnets=cluster.network.private_subnets if cluster.creates_cluster else (),
            temporal=facts.temporal,
            environment=environment,
            store_ready=[
                release for name, release in self.addons.releases.items() if name.startswith("secrets-store-csi")
            ],
        )
        # kind's broker: the local chart where the clouds run the operator's cluster (local_rabbitmq.py).
        self.broker = (
            LocalRabbitMQ(
                self,
                "rabbitmq",
                environment=environment,
                chart_values=facts.chart_values,
                platform=self.namespace,
                after=[*cluster_ready, *self.addons.releases.values()],
            )
            if environment.cloud is Cloud.LOCAL
            else None
        )
        # kind's Temporal: the local chart where the clouds install the temporal chart (local_temporal.py).
        self.temporal = (
            LocalTemporal(self, "temporal", after=[*cluster_ready, *self.addons.releases.values()])
            if environment.cloud is Cloud.LOCAL
            else None
        )
        installed_first = [
            *cluster_ready,
            *self.addons.releases.values(),
            *self.infrastructure.releases.values(),
            *(self.broker.releases.values() if self.broker else ()),
            *(self.temporal.releases.values() if self.temporal else ()),
            self.livekit_keys.voice,
        ]
        self.charts = self.gitops = None
        if environment.delivery is Delivery.HELM:
            self.charts = PlatformCharts(
                self,
                "charts",
                environment=environment,
                namespace=self.namespace,
                cluster_values=facts.chart_values,
                overrides=facts.chart_overrides,
                after=installed_first,
            )
        else:
            self.gitops = GitOps(
                self,
                "gitops",
                environment=environment,
                namespace=self.namespace,
                cluster_values=facts.chart_values,
                overrides=facts.chart_overrides,
                repo_server=facts.repo_server,
                after=installed_first,
            )
