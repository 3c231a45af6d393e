"""An existing kind cluster (the `local` environment): nothing to create, only a way in.

`make up` creates the cluster; the stack reaches it through the user's kubeconfig context, so no
credential or certificate ever appears in the stack.
"""

from constructs import Construct

from ..connection import ClusterConnection
from ..environments import ExistingCluster


class KindCluster(Construct):
    def __init__(self, scope: Construct, id_: str, *, name: str, settings: ExistingCluster):
        super().__init__(scope, id_)
        self.cluster_name = name
        self.connection = ClusterConnection(
            config_path=settings.kubeconfig_path, config_context=settings.kubeconfig_context
        )
