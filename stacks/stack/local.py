"""The `local` environment: the kind cluster `make up` creates, reached through its kubeconfig context."""
from constructs import Construct

from ..cluster.kind import KindCluster
from ..environments import Environment
from .base import EnvironmentStack


class LocalEnvironmentStack(EnvironmentStack):
    def __init__(self, scope: Construct, *, environment: Environment):
        super().__init__(scope, environment=environment)
        cluster = KindCluster(self, "cluster", name=environment.cluster_name, settings=environment.cluster)
        self.connection = cluster.connection
        self.output("cluster_name", cluster.cluster_name, "Name of the kind cluster")
        self.output("kube_context", environment.cluster.kubeconfig_context, "kubectl context of the cluster")
        self.deliver_platform()
