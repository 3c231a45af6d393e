"""Node faults on the larger kind topology (`--kind-topology faults`: two general and two GPU workers): a general
worker drained through the Eviction API under load keeps every PodDisruptionBudget and the REST API serving; a GPU
node lost (drained, its kubelet stopped) has its GPU pods recreated on the other GPU node only; with no GPU node
left they stay Pending, the scheduler refusing every CPU node on the GPU node affinity (the pods ask for GPU nodes by
the contract's label, so no CPU node is ever a candidate: it names the affinity, not nvidia.com/gpu), and return
when a GPU node comes back."""
import pytest

import contract
from bootstrap.waiting import wait_for

from .fixtures.drill import MAX_FAILED_RATIO
from .fixtures.pods import gpu_nodes, gpu_request, is_ready

pytestmark = pytest.mark.drills

GPU_MOVED_WITHIN_S = 120  # evicted, rescheduled, started, ready (the stand-in starts at once)
PENDING_WITHIN_S = 60


@pytest.fixture
def faults_topology(core):
    general = [n.metadata.name for n in core.list_node(label_selector=f"{contract.POOL_LABEL}=general").items]
    gpu = sorted(gpu_nodes(core))
    if len(general) < 2 or len(gpu) < 2:
        pytest.skip(f"needs two general and two GPU workers (found {general}, {gpu}): run the suite with "
                    "--kind-topology faults")
    return general, gpu


def gpu_pods(core, namespace: str) -> list:
    return [p for p in core.list_namespaced_pod(namespace).items
            if gpu_request(p) and not p.metadata.deletion_timestamp]


def test_draining_a_general_worker_keeps_every_pdb_and_the_rest_api_serving(
        platform, core, faults_topology, node_faults, drill_run):
    general, _ = faults_topology
    api_nodes = {p.spec.node_name for p in core.list_namespaced_pod(
        platform.namespace, label_selector=f"app.kubernetes.io/name={platform.api_service}").items}
    node = next((n for n in general if n in api_nodes), general[0])
    reports = []
    with drill_run("drain-general") as drill:
        drill.event(lambda: reports.append(node_faults.drain(node)))

        def elsewhere():
            pods = [p for p in core.list_namespaced_pod(platform.namespace).items if not p.metadata.deletion_timestamp
                    and not gpu_request(p) and p.status.phase != "Succeeded"]
            waiting = [p.metadata.name for p in pods if not is_ready(p) or p.spec.node_name == node]
            return not waiting, f"not yet Ready elsewhere: {waiting}"
        drill.recovered(elsewhere, within_s=GPU_MOVED_WITHIN_S, expected=f"every platform pod Ready off {node}")
    report, result = reports[0], drill.result
    assert not report.pdb_breaches, f"PDBs below their minimum during the drain: {report.pdb_breaches}"
    assert report.evicted, f"nothing was evicted from {node}"
    assert result.ratio <= MAX_FAILED_RATIO, f"{result.reasons} {result.by_request}; {result.summary()}; " \
                                             f"{len(report.evicted)} evicted, {report.refused} refused by a PDB"


def test_a_lost_gpu_node_moves_gpu_pods_to_the_other_gpu_node_only_then_pending_then_back(
        platform, core, faults_topology, node_faults):
    _, gpu = faults_topology
    ns = platform.namespace
    before = gpu_pods(core, ns)
    assert before, f"no pod in {ns} requests {contract.GPU_RESOURCE}"
    lost = before[0].spec.node_name
    other = next(n for n in gpu if n != lost)

    node_faults.drain(lost)
    node_faults.stop_kubelet(lost)

    def on(nodes: set[str]):
        def check():
            pods = gpu_pods(core, ns)
            placed = {p.metadata.name: p.spec.node_name for p in pods}
            return len(pods) >= len(before) and all(is_ready(p) and p.spec.node_name in nodes for p in pods), \
                f"GPU pods: {placed}"
        return check

    wait_for(on({other}), timeout=GPU_MOVED_WITHIN_S, interval=2,
             expected=f"every GPU pod Ready on {other} (and on no CPU node) after losing {lost}")

    node_faults.drain(other)
    cpu_nodes = len(core.list_node().items) - len(gpu) - 1  # less the GPU workers and the control plane (tainted)

    def pending_for_gpus():
        pods = gpu_pods(core, ns)
        reasons = {p.metadata.name: next((c.message for c in p.status.conditions or []
                                          if c.type == "PodScheduled" and c.reason == "Unschedulable"), None)
                   for p in pods}
        named = all(r and f"{cpu_nodes} node(s) didn't match Pod's node affinity" in r for r in reasons.values())
        return bool(pods) and named and all(p.status.phase == "Pending" for p in pods), f"{reasons}"

    wait_for(pending_for_gpus, timeout=PENDING_WITHIN_S, interval=2,
             expected=f"GPU pods Pending, every CPU node refused on the GPU node affinity, no GPU node left")

    node_faults.start_kubelet(lost)
    node_faults.uncordon(lost)
    wait_for(on({lost}), timeout=GPU_MOVED_WITHIN_S, interval=2,
             expected=f"GPU pods back and Ready on {lost} once it returns")
