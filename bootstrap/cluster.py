"""The local kind cluster: one control plane, one general worker, one fake GPU worker (`make up`); the larger
FAULTS topology adds a second of each, so node faults (a drained worker, a lost GPU node) leave somewhere to go.

The GPU worker carries the project's GPU label and taint (contract/__init__.py) and a fake device plugin advertises
`nvidia.com/gpu` on it, so scheduling and allocation are the real kubelet's. metrics-server runs at 15 s resolution.
NetworkPolicies are enforced (bootstrap/manifests/netpol.yaml) beside the pod network (podnet).
prometheus-operator (with its CRDs) and kube-state-metrics run in the monitoring namespace; the local stack
configures Prometheus, Alertmanager and prometheus-adapter on them.
"""

import json
import string
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

import contract
from contract import pins, settings
from contract.tools import tool

from .cache import ROOT
from .disk import ensure_room
from .errors import BootstrapError
from .gitops import (
    GitOpsTools,
    build_gitops,
    install_phases as gitops_phases,
    rollouts as gitops_rollouts,
    webhook_secret,
)
from .kubeapi import ClusterApi, api_service_available
from .monitoring import cluster_manifests
from .ports import free_ports
from .progress import run, say, step
from .toolchain import Toolchain, build_all
from .waiting import wait_for

INGRESS_HTTP_NODEPORT = 30082  # the Ingress controller's HTTP port (bootstrap/manifests/ingress-nginx-kind.yaml)
# The REST API's NodePort (locust), the in-cluster Git server's (GitOps delivery) and the Ingress controller's,
# published on 127.0.0.1.
NODEPORTS = (30080, contract.GIT_SERVER_NODEPORT, INGRESS_HTTP_NODEPORT)
INGRESS_NAMESPACE = contract.KIND_INGRESS_NAMESPACE
INGRESS_RELEASE = "ingress-nginx"
# kind's values for the community ingress-nginx it still runs (bootstrap/manifests/ingress-nginx-kind.yaml and
# docs/ingress-on-kind.md say why; the clouds run F5's controller, stacks/delivery/values/nginx-ingress.yaml).
INGRESS_VALUES = (ROOT / "bootstrap/manifests/ingress-nginx-kind.yaml",)
FAKE_GPU_COUNT = 2
METRICS_API_SERVICE = "v1beta1.metrics.k8s.io"
NETPOL_DAEMONSET = "netpol"  # bootstrap/manifests/netpol.yaml
# The NetworkPolicy controller's periodic full sync (bootstrap/manifests/netpol.yaml): the longest a policy change
# waits when the sync its event requested aborted. The e2e suite derives its policy bounds from the DaemonSet's flag.
NETPOL_SYNC_PERIOD = "15s"


@dataclass(frozen=True)
class Topology:
    """How many workers of each pool the kind cluster has, beside its control plane."""

    general_workers: int = 1
    gpu_workers: int = 1

    @property
    def nodes(self) -> int:
        return 1 + self.general_workers + self.gpu_workers


# How often each kubelet re-measures its pods' volumes (a du walk of every emptyDir): what its ephemeral-storage
# eviction sees. Kubernetes' default is 1 m; kind's nodes hold few small volumes, so a sixth of it is cheap and an
# overrun is seen within seconds, not a minute and more.
VOLUME_STATS_PERIOD_S = 10
DEFAULT_TOPOLOGY = Topology()  # `make up`: 3 nodes
FAULTS_TOPOLOGY = Topology(general_workers=2, gpu_workers=2)  # 5 nodes: room for node-fault drills


def default_name() -> str:
    return settings.CLUSTER.read()


def kind_config(name: str, host_ports: dict | None = None, topology: Topology = DEFAULT_TOPOLOGY) -> dict:
    """The cluster's kind config. NodePorts are published on 127.0.0.1 at the same port numbers unless
    `host_ports` maps them elsewhere (the e2e suite does, so it can run beside `make up`'s cluster)."""
    host_ports = host_ports or {port: port for port in NODEPORTS}
    taint = contract.GPU_TAINT
    gpu_join = {
        "kind": "JoinConfiguration",
        "nodeRegistration": {"taints": [{"key": taint.key, "value": taint.value, "effect": taint.effect}]},
    }
    kubelet = {"kind": "KubeletConfiguration", "volumeStatsAggPeriod": f"{VOLUME_STATS_PERIOD_S}s"}
    return {
        "kind": "Cluster",
        "apiVersion": "kind.x-k8s.io/v1alpha4",
        "name": name,
        "networking": {"serviceSubnet": pins.SERVICE_SUBNET},
        "kubeadmConfigPatches": [yaml.safe_dump(kubelet)],  # every node's kubelet (kubeadm's shared config)
        "nodes": [
            {
                "role": "control-plane",
                "labels": dict(contract.SYSTEM_POOL.labels),
                "extraPortMappings": [
                    {"containerPort": p, "hostPort": host_ports[p], "listenAddress": "127.0.0.1"} for p in NODEPORTS
                ],
            },
            *[{"role": "worker", "labels": dict(contract.GENERAL_POOL.labels)}] * topology.general_workers,
            *[
                {
                    "role": "worker",
                    "labels": dict(contract.GPU_POOL.labels),
                    "kubeadmConfigPatches": [yaml.safe_dump(gpu_join)],
                }
            ]
            * topology.gpu_workers,
        ],
    }


def free_host_ports() -> dict:
    """A free loopback port for each NodePort (the kernel picks them; kind binds them moments later)."""
    return dict(zip(NODEPORTS, free_ports(len(NODEPORTS)), strict=True))


def answers(url: str) -> tuple[bool, str]:
    """(whether `url` answers 200, what it answered): a wait_for condition (a refused connection raises)."""
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status == 200, f"HTTP {response.status} from {url}"


def published_url(cluster_name: str, node_port: int) -> str:
    """http://host:port where the kind control-plane container publishes `node_port` (kind's extraPortMappings)."""
    node = f"{cluster_name}-control-plane"
    out = subprocess.run(
        ["docker", "inspect", node, "--format", "{{json .NetworkSettings.Ports}}"], capture_output=True, text=True
    )
    if out.returncode != 0:
        raise BootstrapError(
            "published port",
            f"docker inspect {node} failed ({out.stderr.strip()})",
            "is the kind cluster running? `make cluster` starts it",
        )
    bindings = (json.loads(out.stdout) or {}).get(f"{node_port}/tcp") or []
    if not bindings:
        raise BootstrapError(
            "published port",
            f"node port {node_port} is not published by {node}",
            "add it to the kind config's extraPortMappings (bootstrap/cluster.py NODEPORTS) and recreate the cluster",
        )
    return f"http://{bindings[0]['HostIp'] or '127.0.0.1'}:{bindings[0]['HostPort']}"


def existing_clusters(kind: str) -> list[str]:
    return run([kind, "get", "clusters"], step_name="kind get clusters", capture=True).split()


def cluster_up(name: str | None = None, chain: Toolchain | None = None, *, gitops: bool = False) -> ClusterApi:
    """The cluster, created unless it exists, and readied; with `gitops`, also ArgoCD and the Git server."""
    name = name or default_name()
    chain = chain or build_all()
    tools = build_gitops() if gitops else None
    if name in existing_clusters(tool("kind")):
        say(f"cluster {name} exists: checking it, creating nothing")
    else:
        create(name, chain)
    api = ClusterApi(contract.kind_context(name))
    prepare(name, api, chain, gitops=tools)
    say(f"cluster {name} is ready (kubectl --context {contract.kind_context(name)})")
    return api


def ensure_room_for(name: str, chain: Toolchain, topology: Topology = DEFAULT_TOPOLOGY) -> None:
    """Disk enough for the cluster's nodes and the images loaded onto its workers, or a clear error (disk.py)."""
    ensure_room(name, topology.nodes, topology.nodes - 1, chain.node_image, chain.project_images)


def create(name: str, chain: Toolchain) -> None:
    ensure_room_for(name, chain)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as config:
        yaml.safe_dump(kind_config(name), config)
        config.flush()
        with step(f"kind create cluster {name} ({DEFAULT_TOPOLOGY.nodes} nodes, {chain.node_image})"):
            started = time.monotonic()
            try:
                run(
                    [
                        tool("kind"),
                        "create",
                        "cluster",
                        "--name",
                        name,
                        "--config",
                        config.name,
                        "--image",
                        chain.node_image,
                        "--retain",
                    ],
                    step_name="kind create cluster",
                    capture=True,
                    fix=f"inspect the nodes (`docker logs {name}-control-plane`), then `make down`",
                )
            except BootstrapError:
                export_logs(name)
                subprocess.run([tool("kind"), "delete", "cluster", "--name", name], capture_output=True)
                raise
            say(f"kind create cluster took {time.monotonic() - started:.1f}s")


def prepare(
    name: str,
    api: ClusterApi,
    chain: Toolchain,
    topology: Topology = DEFAULT_TOPOLOGY,
    gitops: GitOpsTools | None = None,
    built_on_demand: Sequence[Callable[[], str]] = (),
) -> None:
    """What a created cluster needs before it is ready; idempotent, so it also checks an existing cluster.
    `gitops`: ArgoCD and the in-cluster Git server too (bootstrap/gitops.py). `built_on_demand`: images a caller
    builds itself (each call builds one unless it exists, and returns its tag), loaded after the project's."""
    # Only the deploy that follows runs the project's images: they load while the add-ons (whose images the node
    # image holds) start, about half a minute less per cluster.
    with ThreadPoolExecutor(max_workers=1) as loader:
        loading = loader.submit(load_all, name, chain.project_images, built_on_demand)
        install_addons(api, chain)
        wait_ready(api, chain, topology)
        loading.result()
    if gitops:
        install_gitops(name, api, chain, gitops)


def load_all(name: str, images, built_on_demand: Sequence[Callable[[], str]]) -> None:
    load_images(name, images)
    if built_on_demand:
        load_images(name, [build() for build in built_on_demand])


def load_images(name: str, images) -> None:
    """Onto the workers alone: the control plane runs none of the project's pods, and each node's copy takes disk."""
    nodes = run([tool("kind"), "get", "nodes", "--name", name], step_name="kind get nodes", capture=True).split()
    workers = ",".join(n for n in nodes if not n.endswith("-control-plane"))
    for image in images:
        with step(f"kind load docker-image {image}"):
            run(
                [tool("kind"), "load", "docker-image", "--name", name, "--nodes", workers, image],
                step_name="kind load",
                capture=True,
            )


def install_gitops(name: str, api: ClusterApi, chain: Toolchain, tools: GitOpsTools) -> None:
    load_images(name, tools.images.values())
    with step("install ArgoCD and the in-cluster Git server"):
        for documents in gitops_phases(tools, webhook_secret(api.core)):
            for document in documents:
                api.apply(document, step="install ArgoCD")
            for kind, workload in gitops_rollouts(documents):
                wait = api.wait_statefulset_ready if kind == "StatefulSet" else api.wait_rolled_out
                wait(contract.ARGOCD_NAMESPACE, workload, timeout=180)
        # The deploy pushes through the published NodePort right after: a Ready pod is routed there only once its
        # endpoint reached the node's service rules (a refused connection until then).
        health = f"{published_url(name, contract.GIT_SERVER_NODEPORT)}/healthz"
        wait_for(
            lambda: answers(health),
            timeout=60,
            interval=1,
            expected="the Git server answering through its published NodePort",
        )


def export_logs(name: str) -> None:
    folder = ROOT / "artifacts" / f"kind-{name}-logs"
    subprocess.run([tool("kind"), "export", "logs", "--name", name, str(folder)], capture_output=True)
    say(f"kind logs exported to {folder}")


def install_addons(api: ClusterApi, chain: Toolchain) -> None:
    template = string.Template((ROOT / "images/fake-gpu-plugin/manifest.yaml").read_text())
    taint = contract.GPU_TAINT
    api.apply(
        template.substitute(
            IMAGE=chain.fake_gpu_plugin_image,
            GPU_LABEL_KEY=contract.GPU_NODE_LABEL_KEY,
            GPU_LABEL_VALUE=contract.GPU_NODE_LABEL_VALUE,
            GPU_TAINT_KEY=taint.key,
            GPU_TAINT_VALUE=taint.value,
            GPU_TAINT_EFFECT=taint.effect,
            GPU_COUNT=str(FAKE_GPU_COUNT),
        ),
        step="install the fake GPU device plugin",
    )
    if chain.netpol_image:
        manifest = string.Template((ROOT / "bootstrap/manifests/netpol.yaml").read_text())
        api.apply(
            manifest.substitute(
                NETPOL_IMAGE=chain.netpol_image, SERVICE_SUBNET=pins.SERVICE_SUBNET, SYNC_PERIOD=NETPOL_SYNC_PERIOD
            ),
            step="install NetworkPolicy enforcement (kube-router's firewall)",
        )
    with step("install prometheus-operator (CRDs, operator) and kube-state-metrics"):
        for document in cluster_manifests(Path(chain.prometheus_operator_crds)):
            api.apply(document, step="install prometheus-operator and kube-state-metrics")
    # helm, not the client: metrics-server is an upstream chart, and `helm upgrade --install` is how a chart is
    # installed and upgraded in place. Its rollout is awaited by wait_ready, with the project's wait_for.
    with step("helm upgrade --install metrics-server (15 s resolution)"):
        repository, tag = chain.metrics_server_image.rsplit(":", 1)
        helm_target = ["--kube-context", api.context] + ([f"--kubeconfig={api.kubeconfig}"] if api.kubeconfig else [])
        run(
            [
                tool("helm"),
                *helm_target,
                "upgrade",
                "--install",
                "metrics-server",
                chain.metrics_server_chart,
                "--namespace",
                "kube-system",
                "--set",
                f"image.repository={repository}",
                "--set",
                f"image.tag={tag}",
                "--set",
                "image.pullPolicy=IfNotPresent",
                "--set",
                "metrics.enabled=false",
                "--set",
                "args={--kubelet-insecure-tls,--metric-resolution=15s}",
            ],
            step_name="install metrics-server",
            capture=True,
        )
    if chain.ingress_controller_image:
        install_ingress(helm_target, chain)


def install_ingress(helm_target: list, chain: Toolchain) -> None:
    """ingress-nginx's chart from its module, with the clouds' values and kind's, on the locally built image."""
    with step("helm upgrade --install ingress-nginx (NodePort, published on 127.0.0.1)"):
        repository, tag = chain.ingress_controller_image.rsplit(":", 1)
        values = [arg for path in INGRESS_VALUES for arg in ("--values", str(path))]
        run(
            [
                tool("helm"),
                *helm_target,
                "upgrade",
                "--install",
                INGRESS_RELEASE,
                chain.ingress_nginx_chart,
                "--namespace",
                INGRESS_NAMESPACE,
                "--create-namespace",
                *values,
                "--set",
                f"controller.image.repository={repository}",
                "--set",
                f"controller.image.tag={tag}",
                "--set",
                f"controller.service.nodePorts.http={INGRESS_HTTP_NODEPORT}",
            ],
            step_name="install ingress-nginx",
            capture=True,
        )


def gpu_capacity(api: ClusterApi) -> dict:
    return api.allocatable(contract.GPU_RESOURCE, f"{contract.GPU_NODE_LABEL_KEY}={contract.GPU_NODE_LABEL_VALUE}")


def wait_ready(api: ClusterApi, chain: Toolchain, topology: Topology = DEFAULT_TOPOLOGY) -> None:
    def gpus_advertised():
        capacity = gpu_capacity(api)
        wanted = [str(FAKE_GPU_COUNT)] * topology.gpu_workers
        return list(capacity.values()) == wanted, f"allocatable {contract.GPU_RESOURCE}: {capacity}"

    def metrics_served():
        met, seen = api_service_available(api.registration.read_api_service(METRICS_API_SERVICE))
        if not met:
            return False, seen
        nodes = api.custom.list_cluster_custom_object("metrics.k8s.io", "v1beta1", "nodes")["items"]
        return len(nodes) == topology.nodes, f"node metrics for {len(nodes)} nodes"

    with step("waiting for nodes, DNS, the fake GPUs and the metrics API"):
        api.wait_nodes_ready(topology.nodes, timeout=180)
        api.wait_rolled_out("kube-system", "coredns", timeout=120)
        if chain.netpol_image:
            api.wait_daemonset_ready("kube-system", NETPOL_DAEMONSET, timeout=120)
        wait_for(
            gpus_advertised,
            timeout=90,
            interval=2,
            expected=f"{FAKE_GPU_COUNT} fake GPUs on each of the {topology.gpu_workers} GPU node(s)",
        )
        api.wait_rolled_out("kube-system", "metrics-server", timeout=180)
        for deployment in ("prometheus-operator", "kube-state-metrics"):
            api.wait_rolled_out(contract.MONITORING_NAMESPACE, deployment, timeout=180)
        if chain.ingress_controller_image:
            api.wait_rolled_out(INGRESS_NAMESPACE, f"{INGRESS_RELEASE}-controller", timeout=180)
        wait_for(
            metrics_served, timeout=180, expected=f"the metrics API serving all {topology.nodes} nodes", interval=3
        )


def cluster_down(name: str | None = None) -> None:
    name = name or default_name()
    kind = tool("kind")
    if name not in existing_clusters(kind):
        say(f"no cluster named {name}: nothing to delete")
        return
    with step(f"kind delete cluster {name}"):
        run([kind, "delete", "cluster", "--name", name], step_name="kind delete cluster", capture=True)
