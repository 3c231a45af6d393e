"""The StorageClasses the cloud stack creates (storage.py), installed right after the cluster is ready and before
anything that claims a volume (monitoring, Temporal, RabbitMQ, the charts' data volumes): one
kubernetes_storage_class_v1 each."""

from collections.abc import Mapping, Sequence

from cdktf import ITerraformDependable
from constructs import Construct

from ..environments import Cloud
from .cluster_objects import kubernetes_storage_class
from .storage import STORAGE


class ClusterStorage(Construct):
    """`classes` (by name) is empty where the cluster already has every class (AKS, kind)."""

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
        self.classes = {
            sc.name: kubernetes_storage_class(self, sc.name, manifest=sc.manifest(facts), depends_on=after)
            for sc in STORAGE[cloud].created
        }
