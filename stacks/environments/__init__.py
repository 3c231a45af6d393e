"""The environment model: typed, frozen, declared once in `catalog.py`. Plain Python, no cdktf."""
from .catalog import ENVIRONMENTS, get
from .errors import ConfigError, UnknownEnvironment
from .model import (Arch, Cloud, Delivery, Environment, ExistingCluster, Ingress, ManagedCluster, NatGateways,
                    Network, NodePool)

__all__ = [
    "ENVIRONMENTS", "get", "ConfigError", "UnknownEnvironment", "Arch", "Cloud", "Delivery", "Environment",
    "ExistingCluster", "Ingress", "ManagedCluster", "NatGateways", "Network", "NodePool",
]
