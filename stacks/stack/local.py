"""The `local` environment: the kind cluster `make up` creates, reached through its kubeconfig context."""
from pathlib import Path

import yaml
from constructs import Construct

from contract import settings

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
        self.deliver_platform(local_facts(environment.cluster.chart_values_file))


def local_facts(values_file: str):
    """The local cluster's facts: the values of `values_file` (contract.settings.LOCAL_VALUES: project chart name ->
    values), if any, each given to its chart last. Their content goes into the stack, not the file's path, so the
    synthesized stack stays portable."""
    from ..delivery.facts import ClusterFacts
    from ..delivery.project_charts import PROJECT_CHARTS
    if not values_file:
        return None
    path = Path(values_file).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"{path} (named by {settings.LOCAL_VALUES.name}) does not exist: write the "
                                "chart values there, or unset the variable")
    overrides = yaml.safe_load(path.read_text()) or {}
    unknown = sorted(set(overrides) - set(PROJECT_CHARTS))
    if unknown:
        raise ValueError(f"{path} names {unknown}, which are not project charts: key its values by one of "
                         f"{', '.join(PROJECT_CHARTS)}")
    return ClusterFacts(chart_overrides=overrides)
