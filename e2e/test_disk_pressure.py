"""Disk pressure: a pod that writes past its ephemeral-storage limit (what the charts now declare for every container)
is evicted by its node's kubelet and replaced by its Deployment, and a neighbour on the same node is not touched."""

import pytest
from kubernetes.stream import stream

from bootstrap.cluster import VOLUME_STATS_PERIOD_S
from bootstrap.waiting import wait_for

from .fixtures.factories import wait_for_pod
from .fixtures.pods import shell_pod

pytestmark = pytest.mark.drills

LIMIT = "32Mi"
OVERRUN_MB = 64  # twice the limit
# The kubelet compares usage with limits every eviction-monitoring period (10 s), after its disk stats catch up
# with the write: an emptyDir's usage is re-measured (a du walk) every volume-stats period (kind's, with jitter up
# to the same again), then the eviction stops the pod within its grace period (0). Doubled for two shared cores.
EVICTION_MONITORING_S = 10
EVICTED_WITHIN_S = 2 * (2 * VOLUME_STATS_PERIOD_S + EVICTION_MONITORING_S) + 60
REPLACED_WITHIN_S = 60
# The writer waits for the claim's signal before it writes, so only the pod the claim picks overruns (its
# replacement, started from the same spec, waits quietly).
WRITER = (
    f"until [ -e /scratch/go ]; do sleep 1; done; dd if=/dev/zero of=/scratch/fill bs=1M count={OVERRUN_MB}; "
    "exec sleep 3600"
)


def storage_pod(toolchain, script: str, **extra) -> dict:
    spec = shell_pod(
        toolchain,
        script,
        container={
            "resources": {
                "requests": {"cpu": "5m", "memory": "8Mi", "ephemeral-storage": "8Mi"},
                "limits": {"memory": "32Mi", "ephemeral-storage": LIMIT},
            },
            "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}],
        },
        volumes=[{"name": "scratch", "emptyDir": {}}],
        **extra,
    )
    spec["terminationGracePeriodSeconds"] = 0
    return spec


def pods_of(core, namespace: str, deployment: str) -> list:
    return core.list_namespaced_pod(namespace, label_selector=f"app={deployment}").items


def running(pod) -> bool:
    return pod.status.phase == "Running" and not pod.metadata.deletion_timestamp


def test_a_pod_writing_past_its_ephemeral_storage_limit_is_evicted_and_replaced_and_its_neighbour_keeps_running(
    core, namespace, make_deployment, make_pod, toolchain
):
    writer_spec = storage_pod(toolchain, WRITER)
    writer_spec["restartPolicy"] = "Always"
    deployment = make_deployment("writer", 1, writer_spec)
    wait_for(
        lambda: (any(running(p) for p in pods_of(core, namespace, deployment)), "no Running writer yet"),
        timeout=REPLACED_WITHIN_S,
        interval=1,
        expected=f"a Running pod of {deployment}",
    )
    victim = next(p for p in pods_of(core, namespace, deployment) if running(p))
    neighbour_name = make_pod(
        storage_pod(toolchain, "echo small > /scratch/note; exec sleep 3600", nodeName=victim.spec.node_name),
        prefix="neighbour",
    )
    neighbour = wait_for_pod(core, namespace, neighbour_name, running, "Running", timeout=REPLACED_WITHIN_S)

    stream(
        core.connect_get_namespaced_pod_exec,
        victim.metadata.name,
        namespace,
        command=["touch", "/scratch/go"],
        stdout=True,
        stderr=True,
        stdin=False,
        tty=False,
    )

    evicted = wait_for_pod(
        core,
        namespace,
        victim.metadata.name,
        lambda p: p.status.phase == "Failed" and p.status.reason == "Evicted",
        f"Evicted for writing {OVERRUN_MB} MB past its {LIMIT} limit",
        timeout=EVICTED_WITHIN_S,
    )
    assert "ephemeral" in (evicted.status.message or ""), f"evicted for another reason: {evicted.status.message}"
    wait_for(
        lambda: (
            [
                p.metadata.name
                for p in pods_of(core, namespace, deployment)
                if running(p) and p.metadata.uid != victim.metadata.uid
            ]
            != [],
            "no replacement Running",
        ),
        timeout=REPLACED_WITHIN_S,
        interval=1,
        expected=f"{deployment} replacing its evicted pod",
    )
    after = core.read_namespaced_pod(neighbour_name, namespace)
    assert (
        after.metadata.uid == neighbour.metadata.uid
        and running(after)
        and after.status.container_statuses[0].restart_count == 0
    ), (
        f"the neighbour on {victim.spec.node_name} was touched: phase {after.status.phase}, "
        f"restarts {after.status.container_statuses[0].restart_count}, reason {after.status.reason}"
    )
