"""LiveKit on the local kind cluster, with the production shape: two LiveKit replicas sharing rooms through one
Redis, the API keys (livekit_keys.py) and the Redis password (livekit_redis.py) the stack generates reaching both
through the same Secrets the clouds' releases read, NetworkPolicies, PodMonitors and alert rules. The clouds install
the livekit-server and bitnami redis charts, which cannot be fetched offline; the local chart
(local-livekit-chart/) runs the images `make tools` builds (contract.pins.LIVEKIT_IMAGES).

Differences from the clouds (docs/local-environment.md): pods on the pod network instead of the nodes' (so the
namespace takes the `restricted` Pod Security profile, and Redis needs no node access), media on one UDP port per
pod instead of a port range per node, Redis 7.0 from Debian instead of 7.4.6.
"""

from collections.abc import Sequence
from pathlib import Path

import yaml
from cdktf import ITerraformDependable
from constructs import Construct

from contract import MONITORING_NAMESPACE, PLATFORM_NAMESPACE, pins

from .cluster_objects import kubernetes_namespace
from .helm_addons import VALUES_DIR
from .livekit_keys import KEY_FILE, LiveKitKeys
from .livekit_redis import PASSWORD_KEY, LiveKitRedisPassword
from .local_monitoring import HELM_VALUES_SELECTOR
from .release import Timing, release, values_document

CHART = Path(__file__).resolve().parent / "local-livekit-chart"
RELEASE = "livekit"
RESTRICTED = {"pod-security.kubernetes.io/enforce": "restricted"}
CHART_IMAGES = ("livekit", "redis", "redisMetrics")  # the rest of LIVEKIT_IMAGES are the e2e suite's
ALERTS = VALUES_DIR / "livekit-alerts.yaml"


def livekit_alerts() -> list[dict]:
    """LiveKit's and its Redis's alerting rules, the chart's PrometheusRule (promtool-tested)."""
    return yaml.safe_load(ALERTS.read_text())


def local_livekit_values(*, redis_service: str) -> dict:
    return {
        "images": {key: pins.LIVEKIT_IMAGES[key] for key in CHART_IMAGES},
        "livekit": {"keysSecret": LiveKitKeys.SECRET, "keyFile": KEY_FILE, "clientNamespaces": [PLATFORM_NAMESPACE]},
        "redis": {
            "service": redis_service,
            "passwordSecret": LiveKitRedisPassword.SECRET,
            "passwordKey": PASSWORD_KEY,
        },
        "monitoringNamespace": MONITORING_NAMESPACE,
        "monitoringLabels": dict(HELM_VALUES_SELECTOR["matchLabels"]),
        "alerts": livekit_alerts(),
    }


class LocalLiveKit(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        namespace: str,
        redis_service: str,
        livekit_keys: LiveKitKeys,
        after: Sequence[ITerraformDependable],
    ):
        super().__init__(scope, id_)
        self.namespace = kubernetes_namespace(self, "namespace", name=namespace, labels=RESTRICTED, depends_on=after)
        redis = LiveKitRedisPassword(self, "redis-password", namespace=namespace, after=[*after, self.namespace])
        keys = livekit_keys.server_secret(namespace, after=[self.namespace])
        self.releases = {
            redis.SECRET: redis.secret,
            LiveKitKeys.SECRET: keys,
            RELEASE: release(
                self,
                "release",
                name=RELEASE,
                namespace=namespace,
                chart=CHART,
                timing=Timing.QUICK,
                values=[values_document(local_livekit_values(redis_service=redis_service))],
                depends_on=[*after, self.namespace, redis.secret, keys],
            ),
        }
