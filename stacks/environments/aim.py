"""Which kind cluster the local environment deploys to, and any chart values given to it last, read when a stack is
synthesized (never at import)."""
import dataclasses
from typing import Mapping

import contract

from .kinds import Cloud
from .model import Environment


def aimed(environment: Environment, environ: Mapping[str, str]) -> Environment:
    """A local environment aimed at the kind cluster the local-cluster variables name (contract), if they do."""
    cluster = environ.get(contract.LOCAL_CLUSTER_VARIABLE)
    kubeconfig = environ.get(contract.LOCAL_KUBECONFIG_VARIABLE)
    values = environ.get(contract.LOCAL_VALUES_VARIABLE, "")
    if environment.cloud is not Cloud.LOCAL or not (cluster or kubeconfig or values):
        return environment
    target = dataclasses.replace(
        environment.cluster,
        kubeconfig_context=contract.kind_context(cluster) if cluster else environment.cluster.kubeconfig_context,
        kubeconfig_path=kubeconfig or environment.cluster.kubeconfig_path,
        chart_values_file=values or environment.cluster.chart_values_file)
    return dataclasses.replace(environment, cluster=target)
