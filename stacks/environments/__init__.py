"""The environment model: typed, frozen, declared once in `catalog.py`. Plain Python, no cdktf."""

from .aim import aimed
from .catalog import ENVIRONMENTS, get
from .database import Database
from .errors import ConfigError, UnknownEnvironment
from .kinds import Arch, Cloud, Delivery, NatGateways, ReceiverKind, Tier
from .model import (
    Alerting,
    AlertReceiver,
    Environment,
    ExistingCluster,
    GitSource,
    Ingress,
    ManagedCluster,
    Network,
    NodePool,
)

__all__ = [
    "ENVIRONMENTS",
    "AlertReceiver",
    "Alerting",
    "Arch",
    "Cloud",
    "ConfigError",
    "Database",
    "Delivery",
    "Environment",
    "ExistingCluster",
    "GitSource",
    "Ingress",
    "ManagedCluster",
    "NatGateways",
    "Network",
    "NodePool",
    "ReceiverKind",
    "Tier",
    "UnknownEnvironment",
    "aimed",
    "get",
]
