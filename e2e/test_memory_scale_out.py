"""Memory autoscaling, live: the integrations service's HPA scales on memory as in the clouds (utilisation of the
memory request, the chart's target). One pod holds memory on request (the stand-in's POST /admin/memory), the HPA
wants more replicas and the new pods are Ready; the pod lets the memory go and the service returns to its minimum.

Bounds come from the cluster's settings: metrics-server's resolution plus the HPA sync (the floor; twice it to want
more, and a pod start for Ready), the HPA's scale-down window plus the floor and slack to return. The episode runs
beside the Temporal worker's backlog and the alert (fixtures/side_by_side.py). Timeline:
artifacts/e2e/memory-scale-timeline.csv and .png; figures in timings.json (`memory_scale_out`)."""

import math
import time
from dataclasses import dataclass, field

import kubernetes
import pytest

from bootstrap.kubeapi import ClusterApi
from bootstrap.waiting import wait_for

from .fixtures.evidence import ARTIFACTS
from .fixtures.podhttp import container_port, pod_http
from .fixtures.pods import ready_pods_of
from .fixtures.scaling import at_rest, back_to_minimum, control_loop_periods, scaled_out
from .fixtures.side_by_side import QUIET, side_by_side
from .fixtures.timeline import Timeline
from .test_scale_out import scale_down_deadline

pytestmark = pytest.mark.scale

SERVICE = "integrations"  # no other service calls it, so its replicas follow its memory alone
POD_START_S = 30  # a new stand-in pod scheduled, started and Ready on two shared cores
OVER_TARGET = 2  # the held memory alone puts the pod at twice the HPA's target


@dataclass
class MemoryRun:
    hpa: str
    minimum: int
    maximum: int
    target_percent: int
    request_mib: float
    limit_mib: float
    held_mib: int
    periods: dict
    scale_down_deadline_s: float
    seconds: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    peak: dict = field(default_factory=dict)

    @property
    def want_more_within_s(self) -> float:
        return 2 * self.periods["floor_s"]

    @property
    def ready_within_s(self) -> float:
        return self.want_more_within_s + POD_START_S

    def figures(self) -> dict:
        return {
            "hpa": self.hpa,
            "min_replicas": self.minimum,
            "max_replicas": self.maximum,
            "target_memory_percent": self.target_percent,
            "request_mib": self.request_mib,
            "held_mib": self.held_mib,
            **self.periods,
            "scale_down_deadline_s": self.scale_down_deadline_s,
            **self.seconds,
            "peak": self.peak,
            "failures": self.failures,
        }


def mib(quantity: str) -> float:
    return float(kubernetes.utils.parse_quantity(quantity)) / 2**20


def hold(api_client, pod, amount: int) -> None:
    """The pod holds `amount` MiB (0 lets go), or the claim fails saying what the stand-in answered."""
    meta, path = pod.metadata, "/admin/memory"
    answer = pod_http(
        api_client, meta.namespace, meta.name, container_port(pod), path, method="POST", query={"mib": amount}
    )
    assert answer.status == 200 and answer.json() == {"held_mib": amount}, (
        f"POST /admin/memory?mib={amount} on {meta.name}: {answer.status} {answer.body}"
    )


@side_by_side(QUIET)
def memory_episode(platform, phase_timings) -> MemoryRun:
    """The episode, beside the others (fixtures/side_by_side.py): clients of its own."""
    cluster = ClusterApi(platform.context, platform.kubeconfig)
    core, apps, api_client = cluster.core, cluster.apps, cluster.api_client
    autoscaling = kubernetes.client.AutoscalingV2Api(api_client)
    hpa = autoscaling.read_namespaced_horizontal_pod_autoscaler(SERVICE, platform.namespace)
    memory = [m.resource for m in hpa.spec.metrics if m.type == "Resource" and m.resource.name == "memory"]
    assert memory, f"{SERVICE}'s HPA has no memory metric: {hpa.spec.metrics}"
    container = apps.read_namespaced_deployment(SERVICE, platform.namespace).spec.template.spec.containers[0]
    target = memory[0].target.average_utilization
    request = mib(container.resources.requests["memory"])
    periods = control_loop_periods(core, apps)
    run = MemoryRun(
        hpa=hpa.metadata.name,
        minimum=hpa.spec.min_replicas,
        maximum=hpa.spec.max_replicas,
        target_percent=target,
        request_mib=request,
        limit_mib=mib(container.resources.limits["memory"]),
        held_mib=math.ceil(request * target / 100 * OVER_TARGET),
        periods=periods,
        scale_down_deadline_s=scale_down_deadline(hpa.spec.behavior.scale_down.stabilization_window_seconds, periods),
    )
    assert run.request_mib + run.held_mib < run.limit_mib, f"holding {run.held_mib} MiB would near the limit: {run}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    client = ClusterApi(platform.context, platform.kubeconfig).api_client
    with Timeline(client, platform.namespace, run.hpa) as timeline:

        def state():
            s = timeline.sample()
            seen = {"desired": s.desired, "ready": s.ready, "memory_percent": s.memory_percent or 0}
            run.peak = {key: max(run.peak.get(key, 0), value) for key, value in seen.items()}
            return s

        wait_for(
            at_rest(timeline, run.minimum, metric=lambda s: s.memory_percent),
            timeout=run.scale_down_deadline_s + 60,
            interval=2,
            expected=f"HPA {run.hpa} at rest: its memory metric served, {run.minimum} replica(s)",
        )
        holder = ready_pods_of(core, platform.namespace, SERVICE)[0]
        started = time.monotonic()
        timeline.mark("load start")
        hold(api_client, holder, run.held_mib)
        try:
            scaled_out(
                run,
                started,
                state,
                want_within_s=run.want_more_within_s,
                ready_within_s=run.ready_within_s,
                cause=f"for {run.held_mib} MiB held",
            )
        finally:
            hold(api_client, holder, 0)
            timeline.mark("load stop")
        back_to_minimum(run, "seconds_back_to_min_after_release", state)
    timeline.write_csv(ARTIFACTS / "memory-scale-timeline.csv")
    timeline.plot(
        ARTIFACTS / "memory-scale-timeline.png",
        title=f"{platform.namespace}/{run.hpa} on memory: {run.held_mib} MiB held by one pod",
        target_percent=None,
        minimum=run.minimum,
        maximum=run.maximum,
        memory_target_percent=run.target_percent,
    )
    phase_timings.figure("memory_scale_out", run.figures())
    return run


@pytest.fixture(scope="module")
def memory_run(request, side_by_side_runs) -> MemoryRun:
    return side_by_side_runs.result(memory_episode, request)


def explain(run: MemoryRun, name: str) -> str:
    return (
        f"{run.failures.get(name) or run.seconds.get(name)}; floor {run.periods['floor_s']} s; peak {run.peak}; "
        f"timeline: {ARTIFACTS / 'memory-scale-timeline.csv'}"
    )


def test_memory_held_makes_the_hpa_want_more_replicas_within_twice_the_floor(memory_run):
    took = memory_run.seconds.get("seconds_to_desired_above_min")
    assert took is not None and took <= memory_run.want_more_within_s, explain(
        memory_run, "seconds_to_desired_above_min"
    )


def test_the_new_pods_are_ready_within_twice_the_floor_plus_a_pod_start(memory_run):
    took = memory_run.seconds.get("seconds_to_new_pods_ready")
    assert took is not None and took <= memory_run.ready_within_s, explain(memory_run, "seconds_to_new_pods_ready")


def test_the_service_returns_to_its_minimum_once_the_memory_is_let_go(memory_run):
    took = memory_run.seconds.get("seconds_back_to_min_after_release")
    assert took is not None and took <= memory_run.scale_down_deadline_s, explain(
        memory_run, "seconds_back_to_min_after_release"
    )
