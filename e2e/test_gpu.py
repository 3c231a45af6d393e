"""GPU placement of the platform on the fake GPU node: GPU pods land there and see the devices the kubelet
allocated them, nothing else of the platform lands there, and asking for more GPUs than are left stays Pending
with the scheduler's reason."""

import pytest

import contract

from .fixtures.factories import wait_until_unschedulable
from .fixtures.podhttp import container_port, pod_http
from .fixtures.pods import gpu_nodes, gpu_request, gpu_toleration, shell_pod

pytestmark = pytest.mark.gpu


def running_pods(core, **selector):
    return [p for p in core.list_pod_for_all_namespaces(**selector).items if p.status.phase in ("Pending", "Running")]


def test_every_platform_pod_requesting_gpus_runs_on_the_gpu_node_and_sees_its_own_devices(platform, core, api_client):
    gpu_pods = [p for p in core.list_namespaced_pod(platform.namespace).items if gpu_request(p)]
    assert gpu_pods, f"no pod in {platform.namespace} requests {contract.GPU_RESOURCE}: the e2e values keep one"
    misplaced = {p.metadata.name: p.spec.node_name for p in gpu_pods if p.spec.node_name not in gpu_nodes(core)}
    assert not misplaced, f"GPU pods off the GPU node: {misplaced}"
    seen = {}
    for pod in gpu_pods:
        report = pod_http(api_client, platform.namespace, pod.metadata.name, container_port(pod), "/gpu")
        assert report.status == 200, f"{pod.metadata.name} /gpu: {report.status} {report.body}"
        seen[pod.metadata.name] = report.json()["devices"]
        assert len(seen[pod.metadata.name]) == gpu_request(pod), (
            f"{pod.metadata.name} asked for {gpu_request(pod)} GPU(s) and sees {report.json()}"
        )
    devices = [d for found in seen.values() for d in found]
    assert len(devices) == len(set(devices)), f"a device was given to two pods: {seen}"


def test_no_platform_pod_without_a_gpu_request_runs_on_the_gpu_node(platform, core):
    pods = core.list_namespaced_pod(platform.namespace).items
    intruders = [p.metadata.name for p in pods if not gpu_request(p) and p.spec.node_name in gpu_nodes(core)]
    assert pods and not intruders, f"pods without a GPU request on the GPU node: {intruders}"


def test_a_gpu_request_beyond_what_the_gpu_node_has_left_stays_pending_with_the_schedulers_reason(
    platform, core, make_pod, namespace, toolchain
):
    (node,) = core.list_node(label_selector=f"{contract.GPU_NODE_LABEL_KEY}={contract.GPU_NODE_LABEL_VALUE}").items
    allocated = sum(gpu_request(p) for p in running_pods(core, field_selector=f"spec.nodeName={node.metadata.name}"))
    left = int(node.status.allocatable[contract.GPU_RESOURCE]) - allocated
    assert allocated, "the platform holds no GPU on the GPU node: nothing here would test what is left"
    spec = shell_pod(
        toolchain,
        "sleep 1",
        tolerations=[gpu_toleration()],
        container={"resources": {"limits": {contract.GPU_RESOURCE: str(left + 1)}}},
    )
    pod = make_pod(spec, "gpu-beyond")

    message = wait_until_unschedulable(core, namespace, pod)
    assert f"Insufficient {contract.GPU_RESOURCE}" in message, message
