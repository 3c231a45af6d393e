"""HPA scale-out driven by locust: load on the REST API through the Ingress makes its HPA want more replicas
within 60 s, the new pods are Ready within 90 s of load start, and once the load stops the replicas return to the
minimum within the e2e values' scale-down window (plus the control loops' delay and slack).

One episode feeds the claims, beside the GraphQL API's custom-metric one (fixtures/side_by_side.py); its timeline
is in artifacts/e2e/scale-timeline.csv and .png, its figures in artifacts/e2e/timings.json (`make bench-e2e`
prints them beside the floor)."""

import kubernetes
import pytest

from bootstrap.kubeapi import ClusterApi
from bootstrap.waiting import wait_for

from .fixtures.convergence import cpu_demand_millicores, needed_replicas
from .fixtures.evidence import ARTIFACTS
from .fixtures.loadgen import Load, LocustRun
from .fixtures.scaling import (
    DESIRED_ABOVE_MIN_WITHIN_S,
    HOLD_S,
    NEW_PODS_READY_WITHIN_S,
    ScaleOutRun,
    at_rest,
    control_loop_periods,
    scale_out,
)
from .fixtures.side_by_side import REQUEST_LOAD, side_by_side
from .fixtures.sustained import sustained_load_failures
from .fixtures.timeline import Timeline

pytestmark = pytest.mark.scale

# 10 users x 2 requests/s, 5 ms of CPU per /work: ~80 millicores of work (measured: 100-130 with the requests'
# own cost), over twice what one replica's HPA target allows (60% of a 50m request), and little enough for the two
# shared cores that also run the cluster.
LOAD = Load(users=10, user_rps=2, work_ms=5, max_seconds=300)
# Beyond the scale-down window: usage samples that still cover the load reach the HPA for up to about two metric
# resolutions after it stops (measured here: 28-43 s; the HPA may even scale out once more on them), the HPA acts at
# its next sync (together: the floor + one resolution); then the old pods terminate and this suite polls, on two
# cores shared with the cluster (the slack).
SCALE_DOWN_SLACK_S = 30


def scale_down_deadline(window_s: float, periods: dict) -> float:
    return window_s + periods["floor_s"] + periods["metric_resolution_s"] + SCALE_DOWN_SLACK_S


def service_hpa(autoscaling, namespace: str, deployment: str):
    hpas = [
        h
        for h in autoscaling.list_namespaced_horizontal_pod_autoscaler(namespace).items
        if h.spec.scale_target_ref.kind == "Deployment" and h.spec.scale_target_ref.name == deployment
    ]
    assert hpas, f"no HPA in {namespace} scales the Deployment {deployment}"
    return hpas[0]


@side_by_side(REQUEST_LOAD)
def cpu_episode(platform, phase_timings, ingress_url, api_ingress_host) -> ScaleOutRun:
    """The episode, beside the GraphQL API's custom-metric one (fixtures/side_by_side.py): clients of its own."""
    cluster = ClusterApi(platform.context, platform.kubeconfig)
    core, apps = cluster.core, cluster.apps
    autoscaling = kubernetes.client.AutoscalingV2Api(cluster.api_client)
    hpa = service_hpa(autoscaling, platform.namespace, platform.api_service)
    periods = control_loop_periods(core, apps)
    window = hpa.spec.behavior.scale_down.stabilization_window_seconds
    run = ScaleOutRun(
        hpa=hpa.metadata.name,
        minimum=hpa.spec.min_replicas,
        maximum=hpa.spec.max_replicas,
        load=LOAD,
        periods=periods,
        scale_down_deadline_s=scale_down_deadline(window, periods),
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Through the Ingress, as production traffic arrives (docs/ingress-on-kind.md).
    locust = LocustRun(ingress_url, LOAD, ARTIFACTS / "scale-locust", host_header=api_ingress_host)
    # The timeline samples from its own thread: it gets a client of its own.
    client = ClusterApi(platform.context, platform.kubeconfig).api_client
    with Timeline(client, platform.namespace, run.hpa) as timeline:
        wait_for(
            at_rest(timeline, run.minimum),
            timeout=run.scale_down_deadline_s + 60,
            interval=2,
            expected=f"HPA {run.hpa} at rest before the load: metrics flowing, {run.minimum} replica(s)",
        )
        scale_out(run, timeline, locust, platform.namespace, hold_s=HOLD_S)
    target = next((m.resource.target.average_utilization for m in hpa.spec.metrics if m.type == "Resource"), None)
    request = cpu_request_millicores(apps, platform)
    demand = cpu_demand_millicores(run.held_samples(timeline), request)
    run.judge_hold(timeline, locust, needed_replicas(demand, target / 100 * request, run.minimum, run.maximum))
    timeline.merge_rps(locust.history)
    timeline.write_csv(ARTIFACTS / "scale-timeline.csv")
    timeline.plot(
        ARTIFACTS / "scale-timeline.png",
        title=f"{platform.namespace}/{run.hpa}: {LOAD.users} users x {LOAD.user_rps} rps, /work {LOAD.work_ms} ms",
        target_percent=target,
        minimum=run.minimum,
        maximum=run.maximum,
    )
    phase_timings.figure("scale_out", run.figures())
    return run


@pytest.fixture(scope="module")
def scale_out_run(request, side_by_side_runs) -> ScaleOutRun:
    return side_by_side_runs.result(cpu_episode, request)


def cpu_request_millicores(apps, platform) -> float:
    deployment = apps.read_namespaced_deployment(platform.api_service, platform.namespace)
    container = deployment.spec.template.spec.containers[0]
    return float(kubernetes.utils.parse_quantity(container.resources.requests["cpu"])) * 1000


def explain(run: ScaleOutRun, phase: str) -> str:
    return (
        f"{run.failures.get(phase) or run.seconds.get(phase)}; locust: {run.failures.get('locust', 'ok')}; "
        f"timeline: {ARTIFACTS / 'scale-timeline.csv'}"
    )


def test_the_hpa_wants_more_than_its_minimum_within_60_s_of_load_start(scale_out_run):
    took = scale_out_run.seconds.get("seconds_to_desired_above_min")
    assert took is not None and took <= DESIRED_ABOVE_MIN_WITHIN_S, explain(
        scale_out_run, "seconds_to_desired_above_min"
    )


def test_the_new_pods_are_ready_within_90_s_of_load_start(scale_out_run):
    took = scale_out_run.seconds.get("seconds_to_new_pods_ready")
    assert took is not None and took <= NEW_PODS_READY_WITHIN_S, explain(scale_out_run, "seconds_to_new_pods_ready")


def test_replicas_return_to_the_minimum_within_the_scale_down_window_after_load_stops(scale_out_run):
    took = scale_out_run.seconds.get("seconds_back_to_min_after_load_stop")
    assert took is not None and took <= scale_out_run.scale_down_deadline_s, explain(
        scale_out_run, "seconds_back_to_min_after_load_stop"
    )


def test_sustained_cpu_load_converges_without_flapping_within_the_slo(scale_out_run):
    failures = sustained_load_failures(scale_out_run)
    assert not failures, f"{failures}; {scale_out_run.convergence}; timeline: {explain(scale_out_run, 'hold')}"
