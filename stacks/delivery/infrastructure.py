"""Infrastructure the platform's services call: Temporal (workflows), RabbitMQ (queues), LiveKit (WebRTC) with
the Redis its replicas share rooms through and the Secret of its API keys (made from the pair livekit_keys.py
generates, which the voice service reads too); that Redis requires the password livekit_redis.py generates.

Installed on the clouds before the platform's charts, each in its own namespace with its values file
from values/. LiveKit's namespace is a kubernetes_namespace_v1 of the stack, made before the Secrets the stack puts
there (its keys, its Redis's password); Helm creates the others with their release. The kind cluster installs none
of these charts: LiveKit and its Redis run from the local chart the stack ships (local_livekit.py), with the
same Secrets; its RabbitMQ and its Temporal are local charts on images built offline (local_rabbitmq.py,
local_temporal.py), with the same alerts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cdktf import ITerraformDependable
from constructs import Construct

from ..environments import Cloud, Environment
from .cluster_objects import kubernetes_namespace
from .facts import TemporalDatabase
from .generated_secret import generated_secret
from .helm_addons import VALUES_DIR
from .livekit_keys import LiveKitKeys
from .livekit_redis import LiveKitRedisPassword, node_access
from .local_livekit import LocalLiveKit
from .rabbitmq_alerts import rabbitmq_alerts
from .release import Timing, release, values_document, values_file
from .temporal_store import PASSWORD_KEY, STORE_RELEASE, TEMPORAL_DB_SECRET, provider_class, temporal_values
from .upstream_charts import CHARTS

CHARTS_DIR = Path(__file__).resolve().parent
SECRET_PROVIDER_CHART = CHARTS_DIR / "secret-provider-chart"

LIVEKIT_NAMESPACE = "livekit"
RABBITMQ_OPERATOR = "rabbitmq-operator"
LIVEKIT_REDIS = "livekit-redis"


@dataclass(frozen=True, kw_only=True)
class Service:
    name: str  # release name, key of upstream_charts.CHARTS, values/<name>.yaml
    namespace: str
    timing: Timing = Timing.QUICK
    needs: tuple[str, ...] = ()  # releases of this table installed first
    chart: Path | None = None  # a local chart of the project, else upstream_charts.CHARTS[name]


def redis_address(release_name: str, namespace: str) -> str:
    """host:port of the bitnami redis chart's standalone master Service (`<release>-master`)."""
    return f"{release_name}-master.{namespace}.svc:6379"


CLOUD_INFRASTRUCTURE = (
    Service(name="temporal", namespace="temporal", timing=Timing.SLOW),
    # RabbitMQ's own Cluster Operator and a RabbitmqCluster on the official image, instead of Bitnami's chart, whose
    # images are frozen (contract/frozen_images.py). Amazon MQ was rejected: it exists on AWS only and exports no
    # per-queue Prometheus series (the HPAs scale on rabbitmq_queue_messages_ready{queue=...}), so both clouds run
    # the same operator. Same Service (rabbitmq.rabbitmq.svc:5672), queue names and per-object metrics as before.
    Service(name=RABBITMQ_OPERATOR, namespace="rabbitmq-system", chart=CHARTS_DIR / "rabbitmq-operator-chart"),
    Service(
        name="rabbitmq", namespace="rabbitmq", needs=(RABBITMQ_OPERATOR,), chart=CHARTS_DIR / "rabbitmq-cluster-chart"
    ),
    Service(name=LIVEKIT_REDIS, namespace=LIVEKIT_NAMESPACE),
    Service(name="livekit", namespace=LIVEKIT_NAMESPACE, needs=(LIVEKIT_REDIS,)),
)
INFRASTRUCTURE: dict[Cloud, tuple[Service, ...]] = {
    Cloud.LOCAL: (),
    Cloud.AWS: CLOUD_INFRASTRUCTURE,
    Cloud.AZURE: CLOUD_INFRASTRUCTURE,
}
# LiveKit runs on the nodes' network (WebRTC's UDP ports), which every Pod Security profile but `privileged` refuses.
LIVEKIT_POD_SECURITY = {"pod-security.kubernetes.io/enforce": "privileged"}
# What the stack adds to a service's values file.
GENERATED = {
    "livekit": {"livekit": {"redis": {"address": redis_address(LIVEKIT_REDIS, LIVEKIT_NAMESPACE)}}},
    "rabbitmq": {"alerts": rabbitmq_alerts()},  # the alerts kind's broker gets too (rabbitmq_alerts.py)
}


class Infrastructure(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cloud: Cloud,
        livekit_keys: LiveKitKeys,
        after: Sequence[ITerraformDependable],
        node_subnets: Sequence[str] = (),
        temporal: TemporalDatabase | None = None,
        environment: Environment | None = None,
        store_ready: Sequence[ITerraformDependable] = (),
    ):
        """`node_subnets`: where the cluster's nodes take their addresses (LiveKit reaches Redis from them);
        `temporal`: the database of Temporal's stores (temporal_store.py), required where Temporal is installed;
        `environment`, `store_ready`: the environment (its store's class) and the Secrets Store CSI driver's
        releases (AWS)."""
        super().__init__(scope, id_)
        self.releases = {}  # by name: the Helm releases and the Secrets the stack makes for them
        self.livekit_namespace = None
        redis = None
        for service in INFRASTRUCTURE[cloud]:
            needs = [self.releases[name] for name in service.needs]
            generated, sensitive = [GENERATED.get(service.name)], None
            if service.namespace == LIVEKIT_NAMESPACE and self.livekit_namespace is None:
                self.livekit_namespace = kubernetes_namespace(
                    self, "livekit-namespace", name=LIVEKIT_NAMESPACE, labels=LIVEKIT_POD_SECURITY, depends_on=after
                )
            own_namespace = [self.livekit_namespace] if service.namespace == LIVEKIT_NAMESPACE else []
            if service.name == LIVEKIT_REDIS:
                redis = LiveKitRedisPassword(
                    self, "livekit-redis-password", namespace=service.namespace, after=[*after, *own_namespace]
                )
                self.releases[redis.SECRET] = redis.secret
                needs.append(redis.secret)
                generated += [redis.redis_values, node_access(cloud, node_subnets)]
            if service.name == "temporal":
                if temporal is None:
                    raise ValueError("Temporal is installed but the cloud stack gave it no database (facts.temporal)")
                generated.append(temporal_values(temporal))
                store = self._temporal_password(service.namespace, temporal, environment, [*after, *store_ready])
                self.releases[STORE_RELEASE if temporal.reader else TEMPORAL_DB_SECRET] = store
                needs.append(store)
                if temporal.reader is None:  # the stack made the namespace for the Secret
                    own_namespace = [self._temporal_namespace]
            if service.name == "livekit":
                self.releases[LiveKitKeys.SECRET] = livekit_keys.server_secret(service.namespace, after=own_namespace)
                needs.append(self.releases[LiveKitKeys.SECRET])
                sensitive = redis.livekit_sensitive  # needs livekit-redis, so it is made above
            self.releases[service.name] = release(
                self,
                service.name,
                name=service.name,
                namespace=service.namespace,
                create_namespace=not own_namespace,
                chart=service.chart or CHARTS[service.name],
                timing=service.timing,
                values=[
                    values_file(self, VALUES_DIR / f"{service.name}.yaml"),
                    *(values_document(document) for document in generated if document),
                ],
                sensitive=sensitive,
                depends_on=[*after, *own_namespace, *needs],
            )
        if cloud is Cloud.LOCAL:
            local = LocalLiveKit(
                self,
                "local-livekit",
                namespace=LIVEKIT_NAMESPACE,
                redis_service=redis_address(LIVEKIT_REDIS, LIVEKIT_NAMESPACE).split(".")[0],
                livekit_keys=livekit_keys,
                after=after,
            )
            self.livekit_namespace = local.namespace
            self.releases.update(local.releases)

    def _temporal_password(
        self,
        namespace: str,
        temporal: TemporalDatabase,
        environment: Environment | None,
        after: Sequence[ITerraformDependable],
    ):
        """Where TEMPORAL_DB_SECRET comes from: the store's SecretProviderClass, or the stack's Secret of the
        generated password; either creates Temporal's namespace (Helm's create_namespace, or the stack's)."""
        if temporal.reader is not None:
            if environment is None:
                raise ValueError("Temporal's store reader needs the environment its SecretProviderClass is for")
            return release(
                self,
                STORE_RELEASE,
                name=STORE_RELEASE,
                namespace=namespace,
                create_namespace=True,
                chart=SECRET_PROVIDER_CHART,
                timing=Timing.QUICK,
                values=[values_document(provider_class(environment, namespace, temporal))],
                depends_on=after,
            )
        self._temporal_namespace = kubernetes_namespace(self, "temporal-namespace", name=namespace, depends_on=after)
        return generated_secret(
            self,
            "temporal-db-password",
            name=TEMPORAL_DB_SECRET,
            namespace=namespace,
            sensitive={PASSWORD_KEY: temporal.password},
            depends_on=[self._temporal_namespace],
        )
