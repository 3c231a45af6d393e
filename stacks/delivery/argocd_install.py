"""Where ArgoCD comes from, by cloud: read by the GitOps delivery (gitops.py: install ArgoCD or not, which chart the
Applications' values go to) and by the infrastructure's monitoring (infra_monitoring.py: who makes ArgoCD's
ServiceMonitors), which helm_addons.py imports, so this fact sits below both."""

from pathlib import Path

from ..environments import Cloud

# The clouds whose cluster comes with ArgoCD (kind: the cluster bootstrap installs it), and the chart their
# Applications' values go to instead of argocd-apps.
ARGOCD_FROM_CLUSTER = {Cloud.LOCAL: Path(__file__).resolve().parent / "argocd-apps-chart"}
