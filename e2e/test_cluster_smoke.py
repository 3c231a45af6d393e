"""The local cluster boots offline: nodes Ready, DNS, metrics, and the fake GPU node's scheduling contract."""

import kubernetes
import pytest

import contract
from bootstrap.cluster import FAKE_GPU_COUNT
from bootstrap.waiting import wait_for

from .fixtures.factories import wait_for_pod, wait_until_unschedulable
from .fixtures.pods import gpu_nodes, gpu_toleration, shell_pod

pytestmark = pytest.mark.smoke

GPU_SELECTOR = f"{contract.GPU_NODE_LABEL_KEY}={contract.GPU_NODE_LABEL_VALUE}"


def test_all_three_nodes_are_ready(core):
    nodes = core.list_node().items
    ready = {n.metadata.name: next(c.status for c in n.status.conditions if c.type == "Ready") for n in nodes}
    assert list(ready.values()) == ["True"] * 3, ready


def test_the_gpu_node_carries_the_contract_label_taint_and_fake_gpus(core):
    (node,) = core.list_node(label_selector=GPU_SELECTOR).items
    assert node.metadata.labels[contract.POOL_LABEL] == contract.GPU_POOL.name
    assert [(t.key, t.value, t.effect) for t in node.spec.taints or []] == [
        (contract.GPU_TAINT.key, contract.GPU_TAINT.value, contract.GPU_TAINT.effect)
    ]
    assert node.status.allocatable[contract.GPU_RESOURCE] == str(FAKE_GPU_COUNT)


def test_coredns_resolves_a_service_by_its_cluster_name(core, make_pod, namespace, toolchain):
    pod = make_pod(shell_pod(toolchain, "getent hosts kubernetes.default.svc.cluster.local"), "dns")
    done = wait_for_pod(core, namespace, pod, lambda p: p.status.phase in ("Succeeded", "Failed"), "to finish")
    log = core.read_namespaced_pod_log(pod, namespace)
    assert done.status.phase == "Succeeded" and "kubernetes.default.svc.cluster.local" in log, log


def test_metrics_api_serves_node_and_pod_metrics(api_client):
    custom = kubernetes.client.CustomObjectsApi(api_client)

    def served():
        nodes = custom.list_cluster_custom_object("metrics.k8s.io", "v1beta1", "nodes")["items"]
        pods = custom.list_namespaced_custom_object("metrics.k8s.io", "v1beta1", "kube-system", "pods")["items"]
        return len(nodes) == 3 and len(pods) > 0, f"{len(nodes)} node metrics, {len(pods)} kube-system pod metrics"

    wait_for(served, timeout=120, expected="metrics for 3 nodes and for kube-system pods", interval=3)


def test_a_pod_requesting_a_gpu_lands_on_the_fake_gpu_node_and_sees_its_device(core, make_pod, namespace, toolchain):
    spec = shell_pod(
        toolchain,
        "echo devices=$NVIDIA_VISIBLE_DEVICES",
        tolerations=[gpu_toleration()],
        container={"resources": {"limits": {contract.GPU_RESOURCE: "1"}}},
    )
    pod = make_pod(spec, "gpu")
    done = wait_for_pod(core, namespace, pod, lambda p: p.status.phase == "Succeeded", "to run to completion")
    assert done.spec.node_name in gpu_nodes(core)
    assert "devices=GPU-fake-" in core.read_namespaced_pod_log(pod, namespace)


def test_pods_without_the_gpu_toleration_never_land_on_the_gpu_node(core, apps, make_deployment, namespace, toolchain):
    spec = {
        "terminationGracePeriodSeconds": 0,
        "containers": [
            {
                "name": "main",
                "image": toolchain.base_image,
                "imagePullPolicy": "IfNotPresent",
                "command": ["sleep", "infinity"],
                "resources": {"requests": {"cpu": "1m", "memory": "4Mi"}},
            }
        ],
    }
    name = make_deployment("no-gpu", 6, spec)

    def all_running():
        pods = core.list_namespaced_pod(namespace, label_selector=f"app={name}").items
        running = [p for p in pods if p.status.phase == "Running"]
        return len(running) == 6, f"{len(running)}/6 running"

    wait_for(all_running, timeout=120, expected="6 replicas running")
    placed = {p.spec.node_name for p in core.list_namespaced_pod(namespace, label_selector=f"app={name}").items}
    assert placed and not placed & gpu_nodes(core), f"pods were placed on {placed}"


def test_a_gpu_request_beyond_capacity_stays_pending_with_the_schedulers_reason(core, make_pod, namespace, toolchain):
    spec = shell_pod(
        toolchain,
        "sleep 1",
        tolerations=[gpu_toleration()],
        container={"resources": {"limits": {contract.GPU_RESOURCE: str(FAKE_GPU_COUNT + 1)}}},
    )
    pod = make_pod(spec, "too-many-gpus")

    message = wait_until_unschedulable(core, namespace, pod)
    assert f"Insufficient {contract.GPU_RESOURCE}" in message, message
