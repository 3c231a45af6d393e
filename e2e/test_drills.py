"""Reliability drills on the REST API under steady locust load through its NodePort (fixtures/drill.py), at two
replicas: a rolling upgrade delivered as every change is (`cdktf deploy local` with a changed value) loses no
request through the NodePort nor through the Ingress, loaded at once (the claim fails above 0.1% and names why);
a pod deleted, or its container SIGKILLed, costs at most the requests in flight and the Deployment is back to its
Ready count within a bounded time; a replica flapping its readiness never gets a request while unready. Figures
per drill in timings.json; timelines in artifacts/e2e."""

import secrets
import subprocess

import pytest
import yaml

from bootstrap.waiting import wait_for
from localenv.deploy import deploy_local

from .fixtures.drill import ENTRIES, MAX_FAILED_RATIO, RECREATED_WITHIN_S, REPLICAS, deployment_ready, rolled_out_past
from .fixtures.pods import endpoint_ready, is_ready, ready_pods_of
from .fixtures.scaling import backend_at_rest

pytestmark = pytest.mark.drills

ROLLOUT_WITHIN_S = 300  # cdktf synth + OpenTofu plan/apply of the local stack, then one surge pod at a time
FLAPS = 3
# A killed replica fails what it held and what reached it before the endpoints dropped it: at these rates a few
# seconds' worth of one replica's share. The bound that would show a real regression (e.g. no second replica).
KILL_MAX_FAILED_RATIO = 0.05
READYZ = "GET /readyz"  # the request that asks a replica whether it is ready: the flapped signal itself
API_CHART = "platform"  # the project chart of the REST API


def explain(result, ceiling: float) -> str:
    return (
        f"{result.ratio:.3%} of requests failed (ceiling {ceiling:.1%}), because: {result.reasons} "
        f"on {result.by_request}. {result.summary()}"
    )


@pytest.fixture(scope="module")
def rolling_upgrade(platform, apps, drill_run, two_replicas, tmp_path_factory) -> dict:
    """One rolling upgrade of the REST API under load through its NodePort and through the Ingress at once:
    entry -> DrillResult."""
    values = tmp_path_factory.mktemp("drill") / "drill-values.yaml"
    # A changed value of the REST API alone: its ConfigMap changes, its checksum annotation rolls its pods.
    values.write_text(
        yaml.safe_dump(
            {
                API_CHART: {
                    "services": {
                        two_replicas: {
                            "env": {"DRILL_REVISION": secrets.token_hex(4)},
                            "hpa": {"minReplicas": REPLICAS},
                        }
                    }
                }
            }
        )
    )
    before = apps.read_namespaced_deployment(two_replicas, platform.namespace).metadata.generation
    with drill_run("rollout", entries=ENTRIES) as drill:
        drill.event(lambda: deploy_local(platform.kubeconfig, platform.context, values=values))
        drill.recovered(
            lambda: rolled_out_past(apps, platform.namespace, two_replicas, before),
            within_s=ROLLOUT_WITHIN_S,
            expected=f"{two_replicas} rolled out with the new value",
        )
    return drill.results


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_rolling_upgrade_through_cdktf_deploy_local_loses_no_request(rolling_upgrade, entry):
    result = rolling_upgrade[entry]
    assert result.sent, f"locust sent nothing: {result.summary()}"
    assert result.ratio <= MAX_FAILED_RATIO, explain(result, MAX_FAILED_RATIO)


@pytest.mark.parametrize("how", ["delete", "sigkill"])
def test_a_killed_replica_costs_at_most_its_in_flight_share_and_is_replaced(
    platform, core, apps, autoscaling, drill_run, two_replicas, how
):
    namespace = platform.namespace
    backend_at_rest(autoscaling, apps, namespace, two_replicas)  # the victim is killed by the drill, not scaled in
    victim = ready_pods_of(core, namespace, two_replicas)[0]
    restarts = victim.status.container_statuses[0].restart_count

    def kill():
        if how == "delete":
            core.delete_namespaced_pod(victim.metadata.name, namespace)
            return
        # SIGKILL of the container's process by the node's container runtime: no preStop, no drain; the kubelet
        # restarts it in the same pod.
        container = victim.status.container_statuses[0].container_id.removeprefix("containerd://")
        subprocess.run(
            [
                "docker",
                "exec",
                victim.spec.node_name,
                "ctr",
                "-n",
                "k8s.io",
                "task",
                "kill",
                "-s",
                "SIGKILL",
                container,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=30,
        )

    def back():
        met, seen = deployment_ready(apps, namespace, two_replicas, REPLICAS)
        if how == "sigkill":
            pod = core.read_namespaced_pod(victim.metadata.name, namespace)
            again = is_ready(pod) and pod.status.container_statuses[0].restart_count > restarts
            return met and again, f"{seen}; {victim.metadata.name} restarted and Ready: {again}"
        # The Deployment's counts still include the victim while it terminates: count the Ready pods that are not it.
        others = {p.metadata.name for p in ready_pods_of(core, namespace, two_replicas)} - {victim.metadata.name}
        return len(others) >= REPLICAS, f"{seen}; Ready pods other than {victim.metadata.name}: {sorted(others)}"

    with drill_run(f"kill-{how}") as drill:
        drill.event(kill)
        drill.recovered(
            back,
            within_s=RECREATED_WITHIN_S,
            expected=f"{two_replicas} back at {REPLICAS} Ready replicas after the {how}",
        )
    result = drill.result
    assert result.sent, f"locust sent nothing: {result.summary()}"
    assert result.ratio <= KILL_MAX_FAILED_RATIO, explain(result, KILL_MAX_FAILED_RATIO)


def test_a_replica_flapping_its_readiness_gets_no_request_while_unready(
    platform, core, apps, autoscaling, discovery_api, drill_run, two_replicas, admin_switch
):
    namespace = platform.namespace
    backend_at_rest(autoscaling, apps, namespace, two_replicas)  # the flapped pod stays until the drill ends
    pod = ready_pods_of(core, namespace, two_replicas)[0]
    probe = pod.spec.containers[0].readiness_probe
    within = probe.period_seconds * probe.failure_threshold + 10  # the kubelet's verdict, plus slack

    def listed(wanted: bool):
        def check():
            seen = endpoint_ready(discovery_api, namespace, two_replicas, pod.metadata.name)
            return (seen is True) == wanted, f"EndpointSlice lists {pod.metadata.name} as ready={seen}"

        return check

    with drill_run("readiness-flap") as drill:
        drill.event(lambda: None)
        for _ in range(FLAPS):
            admin_switch(pod, "ready", "off")
            wait_for(listed(False), timeout=within, expected=f"{pod.metadata.name} out of the ready endpoints")
            admin_switch(pod, "ready", "on")
            wait_for(listed(True), timeout=within, expected=f"{pod.metadata.name} back among the ready endpoints")
        drill.recovered(listed(True), within_s=within, expected=f"{pod.metadata.name} ready after {FLAPS} flaps")
    result = drill.result
    # GET /readyz is the flapped signal itself: it answers 503 from the switched replica until the kubelet has seen
    # it fail (period x threshold). Every other request is the traffic that must never reach an unready replica.
    served = {name: count for name, count in result.by_request.items() if name != READYZ}
    assert result.sent, f"locust sent nothing: {result.summary()}"
    assert not served, f"requests failed while a replica flapped: {served}. {result.summary()}"
