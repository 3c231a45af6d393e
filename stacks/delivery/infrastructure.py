"""Infrastructure the platform's services call: Temporal (workflows), RabbitMQ (queues), LiveKit (WebRTC).

Installed on the clouds before the platform's charts, each in its own namespace with its values file
from values/. The kind cluster runs offline with stand-in services only, so it installs none.
"""
from dataclasses import dataclass
from typing import Sequence

from constructs import Construct
from cdktf import ITerraformDependable

from ..environments import Cloud
from .addons import VALUES_DIR
from .charts import CHARTS
from .release import Timing, release, values_file


@dataclass(frozen=True, kw_only=True)
class Service:
    name: str  # release name, key of charts.CHARTS, values/<name>.yaml
    namespace: str
    timing: Timing = Timing.QUICK


CLOUD_INFRASTRUCTURE = (
    Service(name="temporal", namespace="temporal", timing=Timing.SLOW),
    Service(name="rabbitmq", namespace="rabbitmq"),
    Service(name="livekit", namespace="livekit"),
)
INFRASTRUCTURE: dict[Cloud, tuple[Service, ...]] = {
    Cloud.LOCAL: (),
    Cloud.AWS: CLOUD_INFRASTRUCTURE,
    Cloud.AZURE: CLOUD_INFRASTRUCTURE,
}


class Infrastructure(Construct):
    def __init__(self, scope: Construct, id_: str, *, cloud: Cloud, after: Sequence[ITerraformDependable]):
        super().__init__(scope, id_)
        self.releases = {
            service.name: release(
                self, service.name,
                name=service.name,
                namespace=service.namespace,
                create_namespace=True,
                chart=CHARTS[service.name],
                timing=service.timing,
                values=[values_file(self, VALUES_DIR / f"{service.name}.yaml")],
                depends_on=after,
            )
            for service in INFRASTRUCTURE[cloud]
        }
