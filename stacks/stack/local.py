"""The `local` environment: the kind cluster `make up` creates, reached through its kubeconfig context."""

from pathlib import Path

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
        self.deliver_platform(local_facts(environment))


def local_facts(environment: Environment):
    """The local cluster's facts: the values of the environment's chart values file (contract.settings.LOCAL_VALUES:
    project chart name -> values), if any, each checked against its chart's schema and given to its chart last.
    Their content goes into the stack, not the file's path, so the synthesized stack stays portable."""
    from ..delivery.facts import ClusterFacts
    from ..delivery.local_values import read_local_values

    if not environment.cluster.chart_values_file:
        return None
    return ClusterFacts(
        chart_overrides=read_local_values(Path(environment.cluster.chart_values_file).expanduser(), environment)
    )
