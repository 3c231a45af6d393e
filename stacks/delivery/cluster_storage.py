"""The StorageClasses the cloud stack creates (storage.py), installed right after the cluster is ready and before
anything that claims a volume (monitoring, Temporal, RabbitMQ, the charts' data volumes).

A release of a small local chart rather than Kubernetes-provider resources: see providers.py for why the stacks
use the Helm provider alone."""

from collections.abc import Mapping, Sequence
from pathlib import Path

from cdktf import ITerraformDependable
from constructs import Construct

from ..environments import Cloud
from .release import Timing, release, values_document
from .storage import STORAGE

STORAGE_CLASSES_CHART = Path(__file__).resolve().parent / "storage-classes-chart"


class ClusterStorage(Construct):
    """`release` is None where the cluster already has every class (AKS, kind)."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        cloud: Cloud,
        facts: Mapping[str, str],
        after: Sequence[ITerraformDependable],
    ):
        super().__init__(scope, id_)
        created = STORAGE[cloud].created
        self.release = (
            release(
                self,
                "storage-classes",
                name="storage-classes",
                namespace="kube-system",
                chart=STORAGE_CLASSES_CHART,
                timing=Timing.QUICK,
                values=[values_document({"storageClasses": [sc.manifest(facts) for sc in created]})],
                depends_on=after,
                lint=True,
            )
            if created
            else None
        )
