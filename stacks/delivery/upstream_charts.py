"""Every chart the stacks install from a repository, pinned to one version, in one table.

Bumping a chart is a one-line change here; the synth tests check that every release names a version.
"""

from .release import RepositoryChart

CHARTS = {
    # Ingress and load balancers. The public edge is F5's NGINX Ingress Controller (Apache-2.0): the community
    # ingress-nginx it replaces was retired in March 2026 (no releases or security fixes since). Why this one and
    # not NGINX Gateway Fabric: it keeps the charts' Ingress objects as they are and offers, per Ingress, every
    # setting they carry (nginx.org/proxy-read-timeout and -send-timeout for the voice service's hour-long
    # WebSockets, nginx.org/websocket-services for their Upgrade headers, nginx.org/client-max-body-size). Gateway
    # Fabric keeps no Ingress: each would become an HTTPRoute on a Gateway, the body limit a ClientSettingsPolicy
    # and the voice timeouts a ProxySettingsPolicy attached to the voice route, a rewrite of every chart's edge
    # for the same nginx directives (WebSockets need nothing there). Chart 2.6.4 is controller 5.5.4
    # (2026-07-16), which takes Kubernetes 1.25 and later (the chart's kubeVersion): every minor of clouds.py
    # SUPPORTED_KUBERNETES. kind cannot build it yet (docs/ingress-on-kind.md).
    "nginx-ingress": RepositoryChart(
        repository="https://helm.nginx.com/stable", chart="nginx-ingress", version="2.6.4"
    ),
    "aws-load-balancer-controller": RepositoryChart(
        repository="https://aws.github.io/eks-charts", chart="aws-load-balancer-controller", version="1.13.0"
    ),
    # Metrics and monitoring (metrics-server 3.13.0 ships metrics-server v0.8.0, the version kind runs)
    "metrics-server": RepositoryChart(
        repository="https://kubernetes-sigs.github.io/metrics-server/", chart="metrics-server", version="3.13.0"
    ),
    "kube-prometheus-stack": RepositoryChart(
        repository="https://prometheus-community.github.io/helm-charts", chart="kube-prometheus-stack", version="72.9.1"
    ),
    "prometheus-adapter": RepositoryChart(
        repository="https://prometheus-community.github.io/helm-charts", chart="prometheus-adapter", version="4.11.0"
    ),
    # GPUs: the device plugin advertises nvidia.com/gpu, dcgm-exporter serves DCGM_FI_DEV_GPU_UTIL
    "nvidia-device-plugin": RepositoryChart(
        repository="https://nvidia.github.io/k8s-device-plugin", chart="nvidia-device-plugin", version="0.17.1"
    ),
    "dcgm-exporter": RepositoryChart(
        repository="https://nvidia.github.io/dcgm-exporter/helm-charts", chart="dcgm-exporter", version="4.1.1"
    ),
    # Secrets
    "secrets-store-csi-driver": RepositoryChart(
        repository="https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts",
        chart="secrets-store-csi-driver",
        version="1.4.7",
    ),
    "secrets-store-csi-driver-provider-aws": RepositoryChart(
        repository="https://aws.github.io/secrets-store-csi-driver-provider-aws",
        chart="secrets-store-csi-driver-provider-aws",
        version="0.3.9",
    ),
    # Node autoscaling. 9.54.x is the chart line written for cluster-autoscaler 1.35 (appVersion 1.35.0): its
    # ClusterRole adds the resource.k8s.io objects and volumeattachments that 1.35 always watches and waits for at
    # startup, which 9.46.0's (written for 1.32) lacked, so v1.35.1 would never have started.
    # delivery/rbac_watches.py keeps what the pinned binary watches; tests/stacks/delivery/test_autoscaler_rbac.py
    # checks this chart.
    "cluster-autoscaler": RepositoryChart(
        repository="https://kubernetes.github.io/autoscaler", chart="cluster-autoscaler", version="9.54.1"
    ),
    # Tunnel from Cloudflare's edge to the ingress controller
    "cloudflared": RepositoryChart(
        repository="https://cloudflare.github.io/helm-charts", chart="cloudflare-tunnel-remote", version="0.1.2"
    ),
    # Infrastructure the platform's services use
    # 0.62.0's server Deployments and schema Job wait in a `busybox` init container that no value reaches.
    "temporal": RepositoryChart(
        repository="https://go.temporal.io/helm-charts",
        chart="temporal",
        version="0.62.0",
        pinned_images=(("busybox", "docker.io/library/busybox:1.37.0"),),
    ),
    "livekit": RepositoryChart(repository="https://helm.livekit.io", chart="livekit-server", version="1.5.2"),
    "livekit-redis": RepositoryChart(
        repository="oci://registry-1.docker.io/bitnamicharts", chart="redis", version="20.1.0"
    ),
    # GitOps
    "argo-cd": RepositoryChart(repository="https://argoproj.github.io/argo-helm", chart="argo-cd", version="8.1.2"),
    # 2.0.3 is the first to render an ApplicationSet's goTemplateOptions (2.0.2 drops them).
    "argocd-apps": RepositoryChart(
        repository="https://argoproj.github.io/argo-helm", chart="argocd-apps", version="2.0.3"
    ),
}
