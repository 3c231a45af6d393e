"""The contract shared by the stacks, the bootstrap, the charts and the e2e suite: names, labels, taints.

Node pools carry these labels and taints wherever they run (EKS, AKS, kind); the charts' values default
to the same strings and `tests/charts/test_chart_contract.py` keeps them in step. This package is the
bottom layer: plain data that imports nothing of the project (tests/test_layers.py keeps it so), so
`stacks/` (synthesis) and `bootstrap/` (tools, cluster) both read it without reading each other.
"""

from dataclasses import dataclass

PLATFORM_NAMESPACE = "voiceplat"
# Where Prometheus, Alertmanager and prometheus-adapter run (the charts' global.networkPolicy.monitoringNamespace).
MONITORING_NAMESPACE = "monitoring"
# Where the NGINX Ingress controller runs: F5's on the clouds (stacks/delivery/helm_addons.py), the community
# ingress-nginx that kind still runs (bootstrap/cluster.py; docs/ingress-on-kind.md says why).
NGINX_INGRESS_NAMESPACE = "nginx-ingress"
KIND_INGRESS_NAMESPACE = "ingress-nginx"
# Where ArgoCD runs, on every cloud and on kind (stacks/delivery/gitops.py, bootstrap/gitops.py).
ARGOCD_NAMESPACE = "argocd"
# ArgoCD's repo server's ServiceAccount in the clouds: the identity that reads the repository credentials trusts it
# (stacks/delivery/argocd_repository.py).
ARGOCD_REPO_SERVER_ACCOUNT = "argocd-repo-server"
# Alertmanager's ServiceAccount in the clouds (kube-prometheus-stack's default name for the release): the identity that
# reads the alert receivers' secrets trusts it (stacks/delivery/alerting.py).
ALERTMANAGER_ACCOUNT = "kube-prometheus-stack-alertmanager"
# Temporal's namespace and ServiceAccount in the clouds: the identity that reads its database password trusts it
# (stacks/delivery/temporal_store.py).
TEMPORAL_NAMESPACE = "temporal"
TEMPORAL_ACCOUNT = "temporal"
POOL_LABEL = "voiceplat.io/pool"
ARCH_LABEL = "kubernetes.io/arch"

GPU_RESOURCE = "nvidia.com/gpu"
GPU_NODE_LABEL_KEY = "nvidia.com/gpu.present"
GPU_NODE_LABEL_VALUE = "true"


@dataclass(frozen=True)
class Taint:
    key: str
    value: str
    effect: str  # Kubernetes spelling: NoSchedule, PreferNoSchedule, NoExecute

    def kubectl(self) -> str:
        """`key=value:Effect`, the form kubectl, kubelet flags and AKS take."""
        return f"{self.key}={self.value}:{self.effect}"


GPU_TAINT = Taint(key="nvidia.com/gpu", value="present", effect="NoSchedule")


@dataclass(frozen=True)
class PoolRole:
    name: str
    labels: dict[str, str]
    taints: tuple[Taint, ...] = ()


SYSTEM_POOL = PoolRole(name="system", labels={POOL_LABEL: "system"})
GENERAL_POOL = PoolRole(name="general", labels={POOL_LABEL: "general"})
GPU_POOL = PoolRole(
    name="gpu",
    labels={POOL_LABEL: "gpu", GPU_NODE_LABEL_KEY: GPU_NODE_LABEL_VALUE},
    taints=(GPU_TAINT,),
)
POOL_ROLES = {role.name: role for role in (SYSTEM_POOL, GENERAL_POOL, GPU_POOL)}


def cluster_name(environment: str) -> str:
    """The Kubernetes cluster's name in an environment (EKS/AKS cluster, kind cluster)."""
    return f"voiceplat-{environment}"


KIND_CONTEXT_PREFIX = "kind-"
# Where kind's nodes get their addresses: Docker's default address pools for the `kind` network (172.17-31.x/16).
# The local charts admit it to every service port (the API server's pod proxy, the e2e suite's view of one pod);
# pods keep their own addresses (podnet masquerades only traffic leaving the pod subnet), so no pod is let in.
KIND_NODE_RANGE = "172.16.0.0/12"


def kind_context(cluster: str) -> str:
    """The kubeconfig context `kind create cluster --name <cluster>` writes."""
    return f"{KIND_CONTEXT_PREFIX}{cluster}"


# The local environment runs on the kind cluster cluster_name("local") in ~/.kube/config; contract/settings.py
# declares the variables that aim it elsewhere, deliver it through ArgoCD or give its charts extra values.
DEFAULT_KUBECONFIG = "~/.kube/config"


# The in-cluster Git server ArgoCD reads on kind (bootstrap/gitops.py): the runner pushes the working tree's charts
# to the branch the local environment follows, through the NodePort the kind node publishes.
GIT_SERVER, GIT_SERVER_PORT = "git-server", 8080  # its Service (bootstrap/gitops.py)
LOCAL_GIT_REPOSITORY_NAME = "voiceplat"
LOCAL_GIT_REPOSITORY = f"http://{GIT_SERVER}.{ARGOCD_NAMESPACE}.svc:{GIT_SERVER_PORT}/{LOCAL_GIT_REPOSITORY_NAME}.git"
GIT_SERVER_NODEPORT = 30081


# What to do when the local cluster is missing: said by the runner (localenv) and by the local stack's plan check.
START_THE_LOCAL_CLUSTER = "start the local kind cluster with `make cluster` (or `make up`, which also deploys)"
