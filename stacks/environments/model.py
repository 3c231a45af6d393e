"""The typed, frozen shape of an environment. Instances are declared in `catalog.py`, nowhere else.

Constructs read these fields and never ask which environment they are in: a difference between
preview and production is a field with a different value. An Environment validates itself and
everything in it when built (see `validation.py`), so a bad value fails at synth with the field
path and the fix.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

import contract

from .database import Database
from .kinds import Arch, Cloud, Delivery, NatGateways, Tier
from .state import LocalState, StateStore
from .validation import validate


@dataclass(frozen=True, kw_only=True)
class NodePool:
    """A group of identical nodes. `role` picks the labels and taints from contract/__init__.py."""

    role: str  # a key of contract.POOL_ROLES: system, general, gpu
    arch: Arch
    instance_types: tuple[str, ...]  # EC2 instance types, or exactly one Azure VM size
    min_size: int
    max_size: int
    desired_size: int
    disk_gib: int = 100

    @property
    def pool_role(self) -> contract.PoolRole:
        return contract.POOL_ROLES[self.role]

    @property
    def labels(self) -> dict[str, str]:
        return dict(self.pool_role.labels)

    @property
    def taints(self) -> tuple[contract.Taint, ...]:
        return tuple(self.pool_role.taints)

    @property
    def gpu(self) -> bool:
        return self.role == contract.GPU_POOL.name


@dataclass(frozen=True, kw_only=True)
class Network:
    """Address plan. AWS: one public and one private subnet per zone. Azure: one private (nodes)
    subnet, at most one public (ingress) subnet, and an overlay `pod_cidr` outside the VNet."""

    cidr: str
    public_subnets: tuple[str, ...]
    private_subnets: tuple[str, ...]
    service_cidr: str  # Kubernetes Services; must not overlap anything routable from the cluster
    pod_cidr: str | None = None  # Azure CNI overlay only; AWS pods take VPC addresses
    nat_gateways: NatGateways = NatGateways.PER_ZONE


@dataclass(frozen=True, kw_only=True)
class ManagedCluster:
    """A cluster the stack creates (EKS or AKS)."""

    creates_cluster: ClassVar[bool] = True

    kubernetes_version: str  # a minor, "1.35": catalog.KUBERNETES_VERSION (validation.py says why)
    zones: tuple[str, ...]
    network: Network
    node_pools: tuple[NodePool, ...]
    # CIDRs allowed to reach the API server over the internet; empty means private endpoint only.
    public_api_cidrs: tuple[str, ...] = ()
    # Private ranges of the network `cdktf deploy` runs in when the endpoint is private: a self-hosted runner's
    # VPC/VNet peered with (or VPN-connected to) the cluster's. The stack admits them to the private endpoint.
    # One of the two must be set: the stack's Helm releases need a path to the API server.
    deploy_runner_cidrs: tuple[str, ...] = ()
    uptime_sla: bool = True  # paid control-plane tier with an SLA (AKS Standard SKU)
    log_retention_days: int = 90

    def pool(self, role: str) -> NodePool | None:
        return next((pool for pool in self.node_pools if pool.role == role), None)


@dataclass(frozen=True, kw_only=True)
class ExistingCluster:
    """A cluster someone else created (the kind cluster of `make up`), reached by kubeconfig."""

    creates_cluster: ClassVar[bool] = False

    kubeconfig_context: str
    kubeconfig_path: str = "~/.kube/config"
    # A YAML file of values per project chart, given last ("": none); see contract.settings.LOCAL_VALUES.
    chart_values_file: str = ""


@dataclass(frozen=True, kw_only=True)
class GitSource:
    """What a GitOps environment's ArgoCD syncs: charts/ of `repository` at `revision` (a branch it follows)."""

    repository: str  # clone URL: https://github.com/<owner>/<name>.git, or the in-cluster Git server on kind
    revision: str


@dataclass(frozen=True, kw_only=True)
class Ingress:
    domain: str  # DNS zone the environment's public hostnames live under
    class_name: str = "nginx"
    tls: bool = True
    # The certificate for `domain` in the environment's secret store, for the classes that read it from a Secret
    # (nginx, AGIC; the ALB finds its ACM certificate itself): its name there (docs/cloud-runbook.md, "Secrets").
    tls_certificate: str = ""


@dataclass(frozen=True, kw_only=True)
class AlertReceiver:
    """Where Alertmanager sends the alerts of some severities. A webhook names its URL (an in-cluster receiver, no
    secret); Slack and PagerDuty name the entry of the cloud's secret store holding the webhook URL or routing key,
    so no secret is ever in git or in values (stacks/delivery/alerting.py syncs it; docs/cloud-runbook.md, "Alert
    receivers", says where it goes)."""

    name: str
    kind: str  # "webhook", "slack" or "pagerduty"
    severities: tuple[str, ...] = ("critical", "warning")
    url: str = ""  # webhook only
    secret: str = ""  # slack, pagerduty: the secret store entry's name
    channel: str = ""  # slack only: the channel the webhook posts to ("" = the webhook's own channel)


@dataclass(frozen=True, kw_only=True)
class Alerting:
    """Alertmanager's routing: each receiver gets the alerts of its severities; what no route takes goes to the
    null receiver. A production environment must route its critical alerts to a receiver (validation.py); any other
    environment without receivers says why in `null_receiver_reason`, so dropping alerts is a decision, not an
    omission."""

    receivers: tuple[AlertReceiver, ...] = ()
    null_receiver_reason: str = ""  # why every alert may be dropped; only without receivers, never in production
    group_wait: str = "30s"  # how long Alertmanager gathers a new group's alerts before the first notification
    group_interval: str = "5m"
    repeat_interval: str = "4h"


@dataclass(frozen=True, kw_only=True)
class Environment:
    name: str  # also the stack's name: `cdktf deploy <name>`
    cloud: Cloud
    region: str
    tier: Tier
    cluster: ManagedCluster | ExistingCluster
    delivery: Delivery
    # Chart-relative overlays applied after the chart's values.yaml, in this order (later wins); a chart that has
    # nothing of its own for one has no such file. The environment's facts themselves (tier, cloud, region,
    # ingress, storage, secret store) reach every chart as one generated document (delivery/environment_values.py).
    values_files: tuple[str, ...]
    ingress: Ingress
    tags: Mapping[str, str] = field(default_factory=dict)
    # Policy checks (checkov IDs) this environment may fail, each with the reason it is accepted here.
    policy_skips: Mapping[str, str] = field(default_factory=dict)
    # The GitHub repository ("owner/name") of this project for this environment: its workflows may deploy it (the
    # stack trusts their OIDC tokens, stacks/ci_access) and ArgoCD syncs the charts from it (delivery/gitops.py).
    # Required on a cloud; empty for local, which CI never deploys.
    ci_repository: str = ""
    alerting: Alerting = field(default_factory=Alerting)
    # Where ArgoCD reads the charts from (delivery/gitops.py); required with Delivery.GITOPS.
    git: GitSource | None = None
    # Where Terraform keeps this environment's state (state.py): the cloud's store on a cloud, a local file on kind.
    state: StateStore = LocalState()
    # The managed PostgreSQL of Temporal's stores (database.py); every cloud environment has one, kind none.
    database: Database | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", MappingProxyType(dict(self.tags)))
        object.__setattr__(self, "policy_skips", MappingProxyType(dict(self.policy_skips)))
        validate(self)

    def __hash__(self) -> int:
        return hash(self.name)  # names are unique in the catalog; tags and skips are read-only mappings

    @property
    def cluster_name(self) -> str:
        return contract.cluster_name(self.name)
