"""The environment model: typed, frozen, declared once in `catalog.py`. Plain Python, no cdktf."""
from .aim import aimed
from .catalog import ENVIRONMENTS, get
from .errors import ConfigError, UnknownEnvironment
from .kinds import Arch, Cloud, Delivery, NatGateways, ReceiverKind, Tier
from .model import (AlertReceiver, Alerting, Environment, ExistingCluster, GitSource, Ingress, ManagedCluster,
                    Network, NodePool)

__all__ = [
    "AlertReceiver", "Alerting", "ENVIRONMENTS", "aimed", "get", "ConfigError", "UnknownEnvironment", "Arch", "Cloud", "Delivery", "Environment",
    "ExistingCluster", "GitSource", "Ingress", "ManagedCluster", "NatGateways", "Network", "NodePool", "ReceiverKind", "Tier",
]
