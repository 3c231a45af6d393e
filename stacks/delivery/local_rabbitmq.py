"""RabbitMQ on the local kind cluster, where the clouds run its Cluster Operator (infrastructure.py): the local chart
(local-rabbitmq-chart/) on the image `make tools` builds from Debian's package, with the alerts the clouds get.

Credentials: the clouds' services read `rabbitmq-url` from their `<service>-secrets` (the secret store); on kind the
stack generates the password once (generated_secret.py) and writes both halves from it: the broker's default user
(`credentials.conf` of `rabbitmq-credentials` in the broker's namespace) and the same `rabbitmq-url` key in every
Secret a rendered workload reads it from (`<service>-secrets`), so only the endpoint differs from the clouds.
These Secrets exist on kind alone, so secret_sources.py (the clouds' sources) has no row for them.
Who may connect comes from the charts' own NetworkPolicies: the pods whose egress names the broker's namespace.
"""

from collections.abc import Mapping, Sequence
from pathlib import Path

from cdktf import Fn, ITerraformDependable
from constructs import Construct

import contract
from contract import pins

from ..environments import Environment
from .cluster_objects import kubernetes_namespace
from .generated_secret import generated_secret, generated_value
from .local_monitoring import SCRAPE_INTERVAL
from .platform_charts import PlatformNamespace
from .rabbitmq_alerts import rabbitmq_alerts
from .release import Timing, release, values_document
from .rendered import rendered, stand_ins

CHART = Path(__file__).resolve().parent / "local-rabbitmq-chart"
NAMESPACE = "rabbitmq"  # the clouds' too (infrastructure.py)
RELEASE = "rabbitmq"
USER = "voiceplat"
CREDENTIALS_SECRET = "rabbitmq-credentials"
URL_KEY = "rabbitmq-url"  # the key the charts' secretEnv names (charts/platform/values.yaml)


def broker_clients(objects_by_chart: Mapping[str, list[dict]]) -> list[str]:
    """Services whose rendered NetworkPolicy lets them reach the broker's namespace."""
    clients = set()
    for objects in objects_by_chart.values():
        for obj in objects:
            if obj.get("kind") != "NetworkPolicy":
                continue
            for rule in obj["spec"].get("egress") or []:
                for peer in rule.get("to") or []:
                    names = peer.get("namespaceSelector", {}).get("matchLabels", {})
                    if names.get("kubernetes.io/metadata.name") == NAMESPACE:
                        clients.add(obj["spec"]["podSelector"]["matchLabels"]["app.kubernetes.io/name"])
    return sorted(clients)


def _pod_specs(obj: dict) -> list[dict]:
    spec = obj.get("spec", {})
    template = spec.get("jobTemplate", {}).get("spec", spec).get("template", {})
    return [template["spec"]] if "spec" in template else []


def url_secrets(objects_by_chart: Mapping[str, list[dict]]) -> list[str]:
    """Secrets whose `rabbitmq-url` key a rendered workload reads (secretKeyRef): where the stack writes it."""
    names = set()
    for objects in objects_by_chart.values():
        for obj in objects:
            for pod in _pod_specs(obj):
                for container in pod.get("containers", []) + pod.get("initContainers", []):
                    for env in container.get("env") or []:
                        ref = (env.get("valueFrom") or {}).get("secretKeyRef") or {}
                        if ref.get("key") == URL_KEY:
                            names.add(ref["name"])
    return sorted(names)


def local_rabbitmq_values(clients: Sequence[str]) -> dict:
    return {
        "image": pins.RABBITMQ_IMAGE,
        "credentialsSecret": CREDENTIALS_SECRET,
        "clients": {"namespace": contract.PLATFORM_NAMESPACE, "names": list(clients)},
        "monitoringNamespace": contract.MONITORING_NAMESPACE,
        "scrapeInterval": SCRAPE_INTERVAL,
        "alerts": rabbitmq_alerts(),
    }


class LocalRabbitMQ(Construct):
    """The broker's namespace, its credentials Secret, the clients' `rabbitmq-url`, and the release."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: Environment,
        chart_values: Mapping,
        platform: PlatformNamespace,
        after: Sequence[ITerraformDependable],
    ):
        super().__init__(scope, id_)
        objects = rendered(environment, stand_ins(chart_values))
        clients = broker_clients(objects)
        password = generated_value(self, "password")
        namespace = kubernetes_namespace(self, "namespace", name=NAMESPACE, depends_on=after)
        self.releases = {}
        self.releases[CREDENTIALS_SECRET] = generated_secret(
            self,
            "credentials",
            name=CREDENTIALS_SECRET,
            namespace=NAMESPACE,
            sensitive={"credentials.conf": Fn.format("default_user = %s\ndefault_pass = %s\n", [USER, password])},
            depends_on=[namespace],
        )
        url = Fn.format(f"amqp://{USER}:%s@{RELEASE}.{NAMESPACE}.svc:5672/", [password])
        for secret in url_secrets(objects):
            self.releases[secret] = generated_secret(
                self,
                f"url-{secret}",
                name=secret,
                namespace=platform.name,
                sensitive={URL_KEY: url},
                depends_on=[platform.namespace, *after],
            )
        self.releases[RELEASE] = release(
            self,
            RELEASE,
            name=RELEASE,
            namespace=NAMESPACE,
            chart=CHART,
            timing=Timing.QUICK,
            values=[values_document(local_rabbitmq_values(clients))],
            depends_on=[*after, namespace, self.releases[CREDENTIALS_SECRET]],
        )
