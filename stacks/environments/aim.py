"""The local environment aimed at its target (contract.settings.LocalTarget): which kind cluster, which kubeconfig,
how delivered and which chart values it gets last. The target is read when a stack is synthesized, never at
import (stacks/app.py)."""

import dataclasses

from contract.settings import LocalTarget

from .kinds import Cloud, Delivery
from .model import Environment, ExistingCluster


def aimed(environment: Environment, target: LocalTarget) -> Environment:
    """The local environment aimed at `target`; any other environment, and the local one when the target is its
    own, unchanged (the same object)."""
    if environment.cloud is not Cloud.LOCAL:
        return environment
    delivery = Delivery(target.delivery) if target.delivery else environment.delivery
    existing = environment.cluster
    assert isinstance(existing, ExistingCluster)  # validation.py: a local environment's cluster is an existing one
    cluster = dataclasses.replace(
        existing,
        kubeconfig_context=target.context,
        kubeconfig_path=target.kubeconfig,
        chart_values_file=str(target.values) if target.values else existing.chart_values_file,
    )
    if (delivery, cluster) == (environment.delivery, environment.cluster):
        return environment
    return dataclasses.replace(environment, delivery=delivery, cluster=cluster)
