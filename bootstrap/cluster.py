"""The local kind cluster: one control plane, one general worker, one fake GPU worker.

The GPU worker carries the project's GPU label and taint (contract/__init__.py) and a fake device plugin advertises
`nvidia.com/gpu` on it, so scheduling and allocation are the real kubelet's. metrics-server runs at 15 s resolution.
"""
import json
import socket
import os
import string
import subprocess
import tempfile
import time

import yaml

import contract

from contract import pins
from .cache import ROOT
from .errors import BootstrapError
from .kube import Kube
from .progress import run, say, step
from .toolchain import Toolchain, build_all
from .waiting import wait_for

NODEPORTS = (30080, 30081)  # the REST API's NodePort (locust) and one spare, published on 127.0.0.1
FAKE_GPU_COUNT = 2


def default_name() -> str:
    return os.environ.get(contract.LOCAL_CLUSTER_VARIABLE) or contract.cluster_name("local")


def kind_config(name: str, host_ports: dict | None = None) -> dict:
    """The cluster's kind config. NodePorts are published on 127.0.0.1 at the same port numbers unless
    `host_ports` maps them elsewhere (the e2e suite does, so it can run beside `make up`'s cluster)."""
    host_ports = host_ports or {port: port for port in NODEPORTS}
    taint = contract.GPU_TAINT
    gpu_join = {"kind": "JoinConfiguration", "nodeRegistration": {
        "taints": [{"key": taint.key, "value": taint.value, "effect": taint.effect}]}}
    return {
        "kind": "Cluster", "apiVersion": "kind.x-k8s.io/v1alpha4", "name": name,
        "networking": {"serviceSubnet": pins.SERVICE_SUBNET},
        "nodes": [
            {"role": "control-plane", "labels": dict(contract.SYSTEM_POOL.labels),
             "extraPortMappings": [{"containerPort": p, "hostPort": host_ports[p], "listenAddress": "127.0.0.1"}
                                   for p in NODEPORTS]},
            {"role": "worker", "labels": dict(contract.GENERAL_POOL.labels)},
            {"role": "worker", "labels": dict(contract.GPU_POOL.labels),
             "kubeadmConfigPatches": [yaml.safe_dump(gpu_join)]},
        ],
    }


def free_host_ports() -> dict:
    """A free loopback port for each NodePort (the kernel picks them; kind binds them moments later)."""
    sockets = [socket.socket() for _ in NODEPORTS]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return {port: sock.getsockname()[1] for port, sock in zip(NODEPORTS, sockets)}
    finally:
        for sock in sockets:
            sock.close()


def existing_clusters(kind: str) -> list[str]:
    return run([kind, "get", "clusters"], step_name="kind get clusters", capture=True).split()


def cluster_up(name: str | None = None, chain: Toolchain | None = None) -> Kube:
    name = name or default_name()
    chain = chain or build_all()
    if name in existing_clusters(chain.kind):
        say(f"cluster {name} exists: checking it, creating nothing")
    else:
        create(name, chain)
    kube = Kube(chain.kubectl, chain.helm, f"kind-{name}")
    prepare(name, kube, chain)
    say(f"cluster {name} is ready (kubectl --context kind-{name})")
    return kube


def create(name: str, chain: Toolchain) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as config:
        yaml.safe_dump(kind_config(name), config)
        config.flush()
        with step(f"kind create cluster {name} (3 nodes, {chain.node_image})"):
            started = time.monotonic()
            try:
                run([chain.kind, "create", "cluster", "--name", name, "--config", config.name, "--image",
                     chain.node_image, "--retain"], step_name="kind create cluster", capture=True,
                    fix=f"inspect the nodes (`docker logs {name}-control-plane`), then `make down`")
            except BootstrapError:
                export_logs(name, chain)
                subprocess.run([chain.kind, "delete", "cluster", "--name", name], capture_output=True)
                raise
            say(f"kind create cluster took {time.monotonic() - started:.1f}s")


def prepare(name: str, kube: Kube, chain: Toolchain) -> None:
    """What a created cluster needs before it is ready; idempotent, so it also checks an existing cluster."""
    for image in chain.project_images:
        with step(f"kind load docker-image {image}"):
            run([chain.kind, "load", "docker-image", "--name", name, image], step_name="kind load", capture=True)
    install_addons(kube, chain)
    wait_ready(kube)


def export_logs(name: str, chain: Toolchain) -> None:
    folder = ROOT / "artifacts" / f"kind-{name}-logs"
    subprocess.run([chain.kind, "export", "logs", "--name", name, str(folder)], capture_output=True)
    say(f"kind logs exported to {folder}")


def install_addons(kube: Kube, chain: Toolchain) -> None:
    template = string.Template((ROOT / "images/fake-gpu-plugin/manifest.yaml").read_text())
    taint = contract.GPU_TAINT
    kube.apply(template.substitute(
        IMAGE=chain.fake_gpu_plugin_image, GPU_LABEL_KEY=contract.GPU_NODE_LABEL_KEY,
        GPU_LABEL_VALUE=contract.GPU_NODE_LABEL_VALUE, GPU_TAINT_KEY=taint.key, GPU_TAINT_VALUE=taint.value,
        GPU_TAINT_EFFECT=taint.effect, GPU_COUNT=str(FAKE_GPU_COUNT)), step="install the fake GPU device plugin")
    with step("helm upgrade --install metrics-server (15 s resolution)"):
        repository, tag = chain.metrics_server_image.rsplit(":", 1)
        kube.helm_upgrade(
            "metrics-server", chain.metrics_server_chart, "kube-system",
            "--set", f"image.repository={repository}", "--set", f"image.tag={tag}",
            "--set", "image.pullPolicy=IfNotPresent", "--set", "metrics.enabled=false",
            "--set", "args={--kubelet-insecure-tls,--metric-resolution=15s}",
            step="install metrics-server")


def gpu_capacity(kube: Kube) -> dict:
    nodes = kube.json("get", "nodes", "-l", f"{contract.GPU_NODE_LABEL_KEY}={contract.GPU_NODE_LABEL_VALUE}")
    return {n["metadata"]["name"]: n["status"].get("allocatable", {}).get(contract.GPU_RESOURCE, "0")
            for n in nodes["items"]}


def wait_ready(kube: Kube) -> None:
    def nodes_ready():
        nodes = kube.json("get", "nodes")["items"]
        states = {n["metadata"]["name"]: next(c["status"] for c in n["status"]["conditions"] if c["type"] == "Ready")
                  for n in nodes}
        return len(states) == 3 and all(s == "True" for s in states.values()), f"Ready: {states}"

    def gpus_advertised():
        capacity = gpu_capacity(kube)
        return list(capacity.values()) == [str(FAKE_GPU_COUNT)], f"allocatable {contract.GPU_RESOURCE}: {capacity}"

    def metrics_served():
        service = kube.json("get", "apiservice", "v1beta1.metrics.k8s.io")
        available = [c for c in service["status"].get("conditions", []) if c["type"] == "Available"]
        if not available or available[0]["status"] != "True":
            return False, f"APIService: {available}"
        nodes = json.loads(kube("get", "--raw", "/apis/metrics.k8s.io/v1beta1/nodes"))
        return len(nodes["items"]) == 3, f"node metrics for {len(nodes['items'])} nodes"

    with step("waiting for nodes, DNS, the fake GPUs and the metrics API"):
        wait_for(nodes_ready, timeout=180, expected="3 nodes Ready", interval=2)
        kube("-n", "kube-system", "rollout", "status", "deployment/coredns", "--timeout=120s", step="CoreDNS")
        wait_for(gpus_advertised, timeout=90, expected=f"{FAKE_GPU_COUNT} fake GPUs on the GPU node", interval=2)
        wait_for(metrics_served, timeout=180, expected="the metrics API serving all 3 nodes", interval=3)


def cluster_down(name: str | None = None) -> None:
    from .toolchain import load_toolchain
    name = name or default_name()
    kind = load_toolchain().kind
    if name not in existing_clusters(kind):
        say(f"no cluster named {name}: nothing to delete")
        return
    with step(f"kind delete cluster {name}"):
        run([kind, "delete", "cluster", "--name", name], step_name="kind delete cluster", capture=True)
