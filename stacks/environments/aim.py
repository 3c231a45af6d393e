"""Which kind cluster the local environment deploys to, how (contract.LOCAL_DELIVERY_VARIABLE) and any chart values
given to it last, read when a stack is synthesized (never at import)."""
import dataclasses
from collections.abc import Mapping

import contract

from .errors import ConfigError
from .kinds import Cloud, Delivery
from .model import Environment, ExistingCluster

LOCAL_DELIVERIES = {"": None, Delivery.HELM.value: Delivery.HELM, Delivery.GITOPS.value: Delivery.GITOPS}


def aimed(environment: Environment, environ: Mapping[str, str]) -> Environment:
    """A local environment aimed at the kind cluster the local-cluster variables name (contract), if they do, and
    delivered the way the delivery variable says."""
    if environment.cloud is not Cloud.LOCAL:
        return environment
    delivery = local_delivery(environ)
    if delivery and delivery is not environment.delivery:
        environment = dataclasses.replace(environment, delivery=delivery)
    cluster = environ.get(contract.LOCAL_CLUSTER_VARIABLE)
    kubeconfig = environ.get(contract.LOCAL_KUBECONFIG_VARIABLE)
    values = environ.get(contract.LOCAL_VALUES_VARIABLE, "")
    if not (cluster or kubeconfig or values):
        return environment
    existing = environment.cluster
    assert isinstance(existing, ExistingCluster)  # validation.py: a local environment's cluster is an existing one
    target = dataclasses.replace(
        existing,
        kubeconfig_context=contract.kind_context(cluster) if cluster else existing.kubeconfig_context,
        kubeconfig_path=kubeconfig or existing.kubeconfig_path,
        chart_values_file=values or existing.chart_values_file)
    return dataclasses.replace(environment, cluster=target)


def local_delivery(environ: Mapping[str, str]) -> Delivery | None:
    """The delivery mode the variable asks for (None: the environment's own)."""
    value = environ.get(contract.LOCAL_DELIVERY_VARIABLE, "").strip().lower()
    if value not in LOCAL_DELIVERIES:
        raise ConfigError(contract.LOCAL_DELIVERY_VARIABLE, f"unknown delivery mode {value!r}",
                          f"set it to one of {', '.join(repr(k) for k in LOCAL_DELIVERIES if k)} or unset it")
    return LOCAL_DELIVERIES[value]
