"""Custom-metric autoscaling end to end: prometheus-adapter serves every Pods metric the HPAs scale on through
custom.metrics.k8s.io, and locust load through the Ingress that raises the GraphQL API's requests per second
(cheap requests: CPU stays below its target, so the custom metric is what scales) makes its HPA want more replicas
and the new pods Ready, then return to the minimum. The episode runs beside the REST API's CPU one
(fixtures/side_by_side.py): each load reaches its own API's HPA alone.

The floor is what the loops alone cost, read from the cluster: the ServiceMonitor's scrape interval, the adapter's
relist interval and the HPA controller's sync period; the claims allow twice the floor (the pods' start on top for
Ready). Timeline: artifacts/e2e/custom-scale-timeline.csv and .png; figures in timings.json (`custom_scale_out`)."""

import kubernetes
import pytest

import contract
from bootstrap.kubeapi import ClusterApi, request
from bootstrap.waiting import wait_for

from .fixtures.convergence import needed_replicas
from .fixtures.evidence import ARTIFACTS
from .fixtures.loadgen import Load, LocustRun
from .fixtures.monitoring import seconds
from .fixtures.platform import ingress_route
from .fixtures.scaling import HOLD_S, ScaleOutRun, control_loop_periods, flag, scale_out
from .fixtures.side_by_side import REQUEST_LOAD, side_by_side
from .fixtures.sustained import sustained_load_failures
from .fixtures.timeline import Timeline
from .test_scale_out import SCALE_DOWN_SLACK_S, service_hpa

pytestmark = pytest.mark.monitoring

SERVICE = "graphql-api"
# 10 users x 6 requests/s of 0 ms work: 60 requests/s, half again the GraphQL API's 40 per pod at one replica and
# three quarters of it at the two wanted (clear of the HPA's 10% tolerance both ways), at a few millicores of CPU.
LOAD = Load(users=10, user_rps=6, work_ms=0, max_seconds=240)
POD_START_S = 30  # a new stand-in pod scheduled, started and Ready on two shared cores
# Metrics on kind the platform's HPAs name but nothing here exports (no GPUs).
NOT_ON_KIND = {"gpu_utilization": "dcgm-exporter needs real GPUs"}


def pods_metrics(autoscaling, namespace: str) -> dict[str, list[str]]:
    """Pods-type metric name -> the HPAs that scale on it."""
    found = {}
    for hpa in autoscaling.list_namespaced_horizontal_pod_autoscaler(namespace).items:
        for metric in hpa.spec.metrics or []:
            if metric.type == "Pods":
                found.setdefault(metric.pods.metric.name, []).append(hpa.metadata.name)
    return found


def test_the_custom_metrics_api_serves_every_pods_metric_the_hpas_scale_on(
    platform, api_client, autoscaling, monitoring
):
    metrics = {
        name: hpas for name, hpas in pods_metrics(autoscaling, platform.namespace).items() if name not in NOT_ON_KIND
    }
    assert "http_requests_per_second" in metrics, f"the APIs' requests per second are not among the HPAs': {metrics}"

    def served():
        missing = {}
        for name, hpas in metrics.items():
            status, body = request(
                api_client, "GET", f"/apis/custom.metrics.k8s.io/v1beta1/namespaces/{platform.namespace}/pods/*/{name}"
            )
            if status != 200 or '"items":[]' in body.replace(" ", ""):
                missing[name] = f"{hpas}: HTTP {status} {body[:160]}"
        return not missing, f"not served: {missing}"

    wait_for(
        served,
        timeout=120,
        interval=5,
        expected=f"custom.metrics.k8s.io serving {sorted(metrics)} for the pods of {platform.namespace}",
    )


def metric_id(metric) -> str:
    """`Resource cpu`, `Pods http_requests_per_second`, ...: a spec or status metric's type and name."""
    source = getattr(
        metric,
        {
            "Resource": "resource",
            "Pods": "pods",
            "External": "external",
            "Object": "object",
            "ContainerResource": "container_resource",
        }[metric.type],
    )
    name = source.name if metric.type in ("Resource", "ContainerResource") else source.metric.name
    return f"{metric.type} {name}"


def test_no_hpa_shows_an_unknown_metric(platform, autoscaling, monitoring):
    """Every metric of every HPA has a current value: one nobody serves reads <unknown> and blocks scale-down."""

    def every_metric_read():
        unknown = {}
        for hpa in autoscaling.list_namespaced_horizontal_pod_autoscaler(platform.namespace).items:
            # A metric the controller could not read is an empty entry (no type): kubectl's <unknown>.
            read = {metric_id(m) for m in hpa.status.current_metrics or [] if m.type}
            missing = {metric_id(m) for m in hpa.spec.metrics} - read
            if missing:
                unknown[hpa.metadata.name] = sorted(missing)
        return not unknown, f"<unknown>: {unknown}"

    wait_for(
        every_metric_read,
        timeout=120,
        interval=5,
        expected=f"every HPA in {platform.namespace} reading each of its metrics",
    )


def loop_periods(core, apps, monitoring) -> dict:
    periods = control_loop_periods(core, apps)
    monitor = next(m for m in monitoring.service_monitors() if m["metadata"]["name"] == SERVICE)
    scrape_s = seconds(monitor["spec"]["endpoints"][0]["interval"])
    adapter = apps.read_namespaced_deployment("prometheus-adapter", contract.MONITORING_NAMESPACE)
    relist_s = seconds(flag(adapter.spec.template.spec.containers[0].args, "metrics-relist-interval") or "10m")
    floor = scrape_s + relist_s + periods["hpa_sync_period_s"]
    return {
        "scrape_interval_s": scrape_s,
        "adapter_relist_s": relist_s,
        "hpa_sync_period_s": periods["hpa_sync_period_s"],
        "metric_resolution_s": periods["metric_resolution_s"],
        "floor_s": floor,
    }


@side_by_side(REQUEST_LOAD)
def custom_episode(platform, monitoring, phase_timings, ingress_url) -> ScaleOutRun:
    """The episode, beside the REST API's CPU one (fixtures/side_by_side.py): clients of its own."""
    cluster = ClusterApi(platform.context, platform.kubeconfig)
    core, apps = cluster.core, cluster.apps
    autoscaling = kubernetes.client.AutoscalingV2Api(cluster.api_client)
    hpa = service_hpa(autoscaling, platform.namespace, SERVICE)
    target = next(
        float(kubernetes.utils.parse_quantity(m.pods.target.average_value))
        for m in hpa.spec.metrics
        if m.type == "Pods"
    )
    periods = loop_periods(core, apps, monitoring.on(cluster))
    window = hpa.spec.behavior.scale_down.stabilization_window_seconds
    run = ScaleOutRun(
        hpa=hpa.metadata.name,
        minimum=hpa.spec.min_replicas,
        maximum=hpa.spec.max_replicas,
        load=LOAD,
        periods=periods,
        scale_down_deadline_s=window + periods["floor_s"] + SCALE_DOWN_SLACK_S,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    host, path = ingress_route(cluster.api_client, platform.namespace, SERVICE)
    # Locust puts each request's path after the URL's own: /graphql/work, which the Ingress routes to the service.
    locust = LocustRun(ingress_url + path.rstrip("/"), LOAD, ARTIFACTS / "custom-scale-locust", host_header=host)
    client = ClusterApi(platform.context, platform.kubeconfig).api_client

    def at_rest(timeline):
        def check():
            s = timeline.sample()
            return s.custom is not None and (s.desired, s.ready) == (
                run.minimum,
            ) * 2, f"custom metric {s.custom}, desired {s.desired}, ready {s.ready} (min {run.minimum})"

        return check

    with Timeline(client, platform.namespace, run.hpa) as timeline:
        wait_for(
            at_rest(timeline),
            timeout=run.scale_down_deadline_s + 120,
            interval=2,
            expected=f"HPA {run.hpa} at rest before the load: its custom metric served, {run.minimum} replica(s)",
        )
        scale_out(
            run,
            timeline,
            locust,
            platform.namespace,
            desired_within_s=2 * periods["floor_s"],
            ready_within_s=2 * periods["floor_s"] + POD_START_S,
            hold_s=HOLD_S,
        )
    run.judge_hold(timeline, locust, needed_replicas(LOAD.offered_rps, target, run.minimum, run.maximum))
    timeline.merge_rps(locust.history)
    timeline.write_csv(ARTIFACTS / "custom-scale-timeline.csv")
    timeline.plot(
        ARTIFACTS / "custom-scale-timeline.png",
        title=f"{platform.namespace}/{run.hpa} on "
        f"http_requests_per_second: {LOAD.users} users x {LOAD.user_rps} rps, /work {LOAD.work_ms} ms",
        target_percent=None,
        minimum=run.minimum,
        maximum=run.maximum,
        custom=("http_requests_per_second", target),
    )
    phase_timings.figure("custom_scale_out", run.figures())
    return run


@pytest.fixture(scope="module")
def custom_run(request, side_by_side_runs) -> ScaleOutRun:
    return side_by_side_runs.result(custom_episode, request)


def explain(run: ScaleOutRun, phase: str) -> str:
    return (
        f"{run.failures.get(phase) or run.seconds.get(phase)}; floor {run.periods['floor_s']} s "
        f"({run.periods}); locust: {run.failures.get('locust', 'ok')}; timeline: "
        f"{ARTIFACTS / 'custom-scale-timeline.csv'}"
    )


def test_the_custom_metric_makes_the_hpa_want_more_replicas_within_twice_the_floor(custom_run):
    took = custom_run.seconds.get("seconds_to_desired_above_min")
    assert took is not None and took <= 2 * custom_run.periods["floor_s"], explain(
        custom_run, "seconds_to_desired_above_min"
    )


def test_the_new_pods_are_ready_within_twice_the_floor_plus_a_pod_start(custom_run):
    took = custom_run.seconds.get("seconds_to_new_pods_ready")
    assert took is not None and took <= 2 * custom_run.periods["floor_s"] + POD_START_S, explain(
        custom_run, "seconds_to_new_pods_ready"
    )


def test_replicas_return_to_the_minimum_after_the_load(custom_run):
    took = custom_run.seconds.get("seconds_back_to_min_after_load_stop")
    assert took is not None and took <= custom_run.scale_down_deadline_s, explain(
        custom_run, "seconds_back_to_min_after_load_stop"
    )


def test_sustained_request_load_converges_without_flapping_within_the_slo(custom_run):
    failures = sustained_load_failures(custom_run)
    assert not failures, f"{failures}; {custom_run.convergence}; timeline: {explain(custom_run, 'hold')}"
