"""The environment model's choices (clouds, delivery modes, architectures, NAT layouts): plain enums that
the model, its validation and the cloud facts all read, so none of those has to import another's classes."""

from enum import Enum


class Cloud(str, Enum):
    LOCAL = "local"  # an existing Kubernetes cluster (kind) reached through a kubeconfig context
    AWS = "aws"
    AZURE = "azure"


class Delivery(str, Enum):
    """How the platform reaches the cluster (read by the platform-delivery construct)."""

    HELM = "helm"  # Terraform Helm provider releases of the project's charts
    GITOPS = "gitops"  # ArgoCD installed by Helm, syncing charts/ with the environment's values


class Arch(str, Enum):
    """CPU architecture, spelled as the `kubernetes.io/arch` node label spells it."""

    ARM64 = "arm64"
    AMD64 = "amd64"


class NatGateways(str, Enum):
    PER_ZONE = "per-zone"  # a zone outage leaves the other zones' egress working
    SINGLE = "single"  # one NAT for all zones: cheaper, for short-lived environments


class Tier(str, Enum):
    """What an environment is for; the charts read it as `global.environment` (labels, alerts, sizing overlays)."""

    E2E = "e2e"  # the kind cluster of `make up` and the e2e suite
    PREVIEW = "preview"  # short-lived, small, for review
    PROD = "prod"  # highly available


class ReceiverKind(str, Enum):
    """Where Alertmanager can send alerts (model.AlertReceiver.kind), and what each needs."""

    WEBHOOK = "webhook"  # an in-cluster URL: no secret
    SLACK = "slack"  # an incoming-webhook URL, from the cloud's secret store
    PAGERDUTY = "pagerduty"  # an Events API v2 routing key, from the cloud's secret store

    @property
    def secret(self) -> bool:
        return self is not ReceiverKind.WEBHOOK
