"""Node faults on the larger kind topology (`--kind-topology faults`: two general and two GPU workers): a general
worker drained through the Eviction API under load keeps every PodDisruptionBudget and the REST API (at two
replicas, one per general worker, as the drills run it) serving; a GPU node lost (drained, its kubelet stopped)
under the same load has its GPU pods recreated on the other GPU node only, the REST API serving throughout; with no
GPU node left they stay Pending, the scheduler refusing every CPU node on the GPU node affinity (the pods ask for GPU
nodes by the contract's label, so no CPU node is ever a candidate: it names the affinity, not nvidia.com/gpu), and
return when a GPU node comes back."""

from datetime import UTC, datetime

import pytest

import contract
from bootstrap.waiting import wait_for

from .fixtures.drill import MAX_FAILED_RATIO, RECREATED_WITHIN_S, REPLICAS, rolled_out_past
from .fixtures.pods import gpu_nodes, gpu_request, is_ready, ready_pods_of

pytestmark = pytest.mark.drills

GPU_MOVED_WITHIN_S = 120  # evicted, rescheduled, started, ready (the stand-in starts at once)
PENDING_WITHIN_S = 60


@pytest.fixture
def faults_topology(core):
    general = [n.metadata.name for n in core.list_node(label_selector=f"{contract.POOL_LABEL}=general").items]
    gpu = sorted(gpu_nodes(core))
    if len(general) < 2 or len(gpu) < 2:
        pytest.skip(
            f"needs two general and two GPU workers (found {general}, {gpu}): run the suite with --kind-topology faults"
        )
    return general, gpu


def gpu_pods(core, namespace: str) -> list:
    """The live pods that request GPUs. Not those that ended: a pod bound to a GPU node whose kubelet just restarted
    can be refused at admission before the device plugin registers again (UnexpectedAdmissionError); it stays
    Failed, and its ReplicaSet replaces it."""
    return [
        p
        for p in core.list_namespaced_pod(namespace).items
        if gpu_request(p) and not p.metadata.deletion_timestamp and p.status.phase not in ("Failed", "Succeeded")
    ]


def spread_over_hosts(platform, apps, core, service: str) -> dict[str, str]:
    """The service's Ready pods -> their nodes, after a restart if they shared a node: Kubernetes places pods by
    their spread only when it schedules them, and an earlier drain (a kept cluster's last run) leaves them together."""

    def placed() -> dict[str, str]:
        return {p.metadata.name: p.spec.node_name for p in ready_pods_of(core, platform.namespace, service)}

    if len(set(placed().values())) < REPLICAS:
        before = apps.read_namespaced_deployment(service, platform.namespace).metadata.generation
        apps.patch_namespaced_deployment(
            service,
            platform.namespace,
            {
                "spec": {
                    "template": {
                        "metadata": {
                            "annotations": {"kubectl.kubernetes.io/restartedAt": datetime.now(UTC).isoformat()}
                        }
                    }
                }
            },
        )

        def respread():
            met, seen = rolled_out_past(apps, platform.namespace, service, before)
            return met and len(placed()) >= REPLICAS, seen

        wait_for(
            respread,
            timeout=RECREATED_WITHIN_S * REPLICAS,
            interval=1,
            expected=f"{service} restarted, so its pods are placed by their spread again",
        )
    return placed()


def test_draining_a_general_worker_keeps_every_pdb_and_the_rest_api_serving(
    platform, core, apps, faults_topology, node_faults, drill_run, two_replicas
):
    _general, _ = faults_topology
    api_nodes = spread_over_hosts(platform, apps, core, two_replicas)
    # The chart spreads a service's pods over hosts: with a replica on each general worker, one keeps serving.
    assert len(set(api_nodes.values())) == REPLICAS, f"{two_replicas}'s replicas share a node: {api_nodes}"
    node = next(iter(api_nodes.values()))
    reports = []
    with drill_run("drain-general") as drill:
        drill.event(lambda: reports.append(node_faults.drain(node)))

        def elsewhere():
            pods = [
                p
                for p in core.list_namespaced_pod(platform.namespace).items
                if not p.metadata.deletion_timestamp and not gpu_request(p) and p.status.phase != "Succeeded"
            ]
            waiting = [p.metadata.name for p in pods if not is_ready(p) or p.spec.node_name == node]
            return not waiting, f"not yet Ready elsewhere: {waiting}"

        drill.recovered(elsewhere, within_s=GPU_MOVED_WITHIN_S, expected=f"every platform pod Ready off {node}")
    report, result = reports[0], drill.result
    assert not report.pdb_breaches, f"PDBs below their minimum during the drain: {report.pdb_breaches}"
    assert report.evicted, f"nothing was evicted from {node}"
    assert result.ratio <= MAX_FAILED_RATIO, (
        f"{result.reasons} {result.by_request}; {result.summary()}; "
        f"{len(report.evicted)} evicted, {report.refused} refused by a PDB"
    )


def test_a_lost_gpu_node_moves_gpu_pods_to_the_other_gpu_node_only_then_pending_then_back(
    platform, core, faults_topology, node_faults, drill_run
):
    _, gpu = faults_topology
    ns = platform.namespace
    before = gpu_pods(core, ns)
    assert before, f"no pod in {ns} requests {contract.GPU_RESOURCE}"
    lost = before[0].spec.node_name
    other = next(n for n in gpu if n != lost)

    def on(nodes: set[str]):
        def check():
            pods = gpu_pods(core, ns)
            placed = {p.metadata.name: p.spec.node_name for p in pods}
            return len(pods) >= len(before) and all(
                is_ready(p) and p.spec.node_name in nodes for p in pods
            ), f"GPU pods: {placed}"

        return check

    cpu_nodes = len(core.list_node().items) - len(gpu) - 1  # less the GPU workers and the control plane (tainted)

    def pending_for_gpus():
        pods = gpu_pods(core, ns)
        reasons = {
            p.metadata.name: next(
                (
                    c.message
                    for c in p.status.conditions or []
                    if c.type == "PodScheduled" and c.reason == "Unschedulable"
                ),
                None,
            )
            for p in pods
        }
        named = all(r and f"{cpu_nodes} node(s) didn't match Pod's node affinity" in r for r in reasons.values())
        return bool(pods) and named and all(p.status.phase == "Pending" for p in pods), f"{reasons}"

    # Under the drills' load on the REST API, which no GPU node serves: recovery is the GPU pods Ready elsewhere.
    with drill_run("gpu-node-loss") as drill:
        drill.event(lambda: (node_faults.drain(lost), node_faults.stop_kubelet(lost)))
        drill.recovered(
            on({other}),
            within_s=GPU_MOVED_WITHIN_S,
            expected=f"every GPU pod Ready on {other} (and on no CPU node) after losing {lost}",
        )

        node_faults.drain(other)
        wait_for(
            pending_for_gpus,
            timeout=PENDING_WITHIN_S,
            interval=2,
            expected="GPU pods Pending, every CPU node refused on the GPU node affinity, no GPU node left",
        )

        node_faults.start_kubelet(lost)
        node_faults.uncordon(lost)
        wait_for(
            on({lost}),
            timeout=GPU_MOVED_WITHIN_S,
            interval=2,
            expected=f"GPU pods back and Ready on {lost} once it returns",
        )
    result = drill.result
    assert result.ratio <= MAX_FAILED_RATIO, f"the REST API failed requests while GPU nodes went: {result.summary()}"
