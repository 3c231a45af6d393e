"""The Redis LiveKit's replicas share rooms through: its password, and the nodes' way in.

Password: generated once by the stack (generated_secret.py), like LiveKit's API secret, never in values files or git.

- Redis (bitnami chart) reads it from the Secret `livekit-redis-password` in LiveKit's namespace, which the stack
  creates (kubernetes_secret_v1; `auth.existingSecret`);
- LiveKit reads it from its config: livekit-server's chart (1.5.x) renders `.Values.livekit` whole into a ConfigMap
  and offers neither extra env (the server's REDIS_PASSWORD) nor a Secret reference, so the password is a
  sensitive `livekit.redis.password` (set_sensitive): out of every values document and plan, but readable in that
  ConfigMap by whoever may read ConfigMaps in the livekit namespace.

Nodes' way in: LiveKit runs on the nodes' network (WebRTC's UDP ports), so its connections to Redis come from node
addresses, which the chart's NetworkPolicy (the livekit namespace's pods) never matches: a replica on another node
than Redis would be refused (a pod's own node is always admitted). `node_access` admits the nodes, per cloud.
"""

from collections.abc import Sequence

from cdktf import ITerraformDependable
from constructs import Construct

from ..environments import Cloud
from .generated_secret import generated_secret, generated_value

SECRET_NAME = "livekit-redis-password"
PASSWORD_KEY = "redis-password"
LIVEKIT_PASSWORD = "livekit.redis.password"  # where livekit-server's config takes it
REDIS_PORT = 6379
# The bitnami chart's labels on its Redis pods (release livekit-redis).
REDIS_POD_LABELS = {"app.kubernetes.io/name": "redis", "app.kubernetes.io/instance": "livekit-redis"}


def node_access(cloud: Cloud, node_subnets: Sequence[str]) -> dict:
    """The redis chart's values that admit the cluster's nodes to Redis's port, beside its NetworkPolicy.
    AWS: the VPC CNI's policy agent matches source addresses, so an ipBlock per node subnet (pods take addresses
    in those subnets too: there the password is what keeps other pods out). Azure: Cilium gives node traffic the
    `host`/`remote-node` identities, which no ipBlock matches, so a CiliumNetworkPolicy admits those entities."""
    port = {"port": REDIS_PORT, "protocol": "TCP"}
    if cloud is Cloud.AWS:
        return {
            "networkPolicy": {
                "extraIngress": [{"ports": [port], "from": [{"ipBlock": {"cidr": cidr}} for cidr in node_subnets]}]
            }
        }
    if cloud is Cloud.AZURE:
        return {
            "extraDeploy": [
                {
                    "apiVersion": "cilium.io/v2",
                    "kind": "CiliumNetworkPolicy",
                    "metadata": {"name": "livekit-redis-from-nodes"},
                    "spec": {
                        "endpointSelector": {"matchLabels": REDIS_POD_LABELS},
                        "ingress": [
                            {
                                "fromEntities": ["host", "remote-node"],
                                "toPorts": [{"ports": [{"port": str(REDIS_PORT), "protocol": "TCP"}]}],
                            }
                        ],
                    },
                }
            ]
        }
    return {}


class LiveKitRedisPassword(Construct):
    SECRET = SECRET_NAME

    def __init__(self, scope: Construct, id_: str, *, namespace: str, after: Sequence[ITerraformDependable]):
        """`after`: what comes first, the namespace among them."""
        super().__init__(scope, id_)
        self.password = generated_value(self, "password")
        self.secret = generated_secret(
            self,
            "secret",
            name=SECRET_NAME,
            namespace=namespace,
            sensitive={PASSWORD_KEY: self.password},
            depends_on=after,
        )
        # The redis chart's values that make it require the password, from the Secret above.
        self.redis_values = {
            "auth": {"enabled": True, "existingSecret": SECRET_NAME, "existingSecretPasswordKey": PASSWORD_KEY}
        }
        # The livekit release's sensitive value that gives the server the same password.
        self.livekit_sensitive = {LIVEKIT_PASSWORD: self.password}
