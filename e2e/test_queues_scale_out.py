"""Queue-driven scale-out on kind's RabbitMQ: a backlog on the text queue scales text out through the clouds'
External-metric rule (rabbitmq_queue_messages_ready, unchanged), drains, and text returns to its minimum with every
job acked.

Bounds come from the cluster's settings: the broker's scrape interval, the adapter's relist interval and the HPA
sync period (their sum, the floor: the claims allow twice it, and a pod start for Ready); the drain must beat what
the minimum replicas alone would take (backlog / (min x per-pod rate)). Timeline: artifacts/e2e/queue-scale-timeline
.csv and .png; figures in timings.json (`queue_scale_out`)."""

import time
from dataclasses import dataclass, field

import kubernetes
import pytest

from bootstrap.kubeapi import ClusterApi
from bootstrap.waiting import wait_for

from .fixtures.evidence import ARTIFACTS
from .fixtures.queues import TEXT_QUEUE, publish, queue_loop_periods
from .fixtures.scaling import all_wanted_ready, back_at, phase, wants_more_than
from .fixtures.timeline import Timeline
from .test_scale_out import SCALE_DOWN_SLACK_S

pytestmark = pytest.mark.queues

POD_START_S = 30  # a new stand-in pod scheduled, started and Ready on two shared cores
JOB_MS = 250  # each job's work: a text pod works 4 jobs a second
BACKLOG = 600  # jobs: 150 s for one pod, past the floor, and above the HPA's target x its maximum


@dataclass
class QueueRun:
    hpa: str
    minimum: int
    maximum: int
    target: float
    periods: dict
    per_pod_jobs_per_s: float
    scale_down_deadline_s: float
    seconds: dict = field(default_factory=dict)
    failures: dict = field(default_factory=dict)
    published: int = 0
    acked: float = 0
    peak_ready: int = 0

    @property
    def single_floor_drain_s(self) -> float:
        """What the minimum replicas alone would take to drain the backlog."""
        return BACKLOG / (self.minimum * self.per_pod_jobs_per_s)

    def figures(self) -> dict:
        return {
            "hpa": self.hpa,
            "min_replicas": self.minimum,
            "max_replicas": self.maximum,
            "target_ready_per_pod": self.target,
            "backlog": BACKLOG,
            "job_ms": JOB_MS,
            **self.periods,
            "drain_at_min_s": self.single_floor_drain_s,
            "drain_at_peak_s": BACKLOG / (max(self.peak_ready, 1) * self.per_pod_jobs_per_s),
            "peak_ready": self.peak_ready,
            "published": self.published,
            "acked": self.acked,
            "scale_down_deadline_s": self.scale_down_deadline_s,
            **self.seconds,
            "failures": self.failures,
        }


@pytest.fixture(scope="module")
def queue_run(platform, core, apps, autoscaling, monitoring, broker, ingress_url, api_ingress_host, phase_timings):
    hpa = autoscaling.read_namespaced_horizontal_pod_autoscaler("text", platform.namespace)
    external = next(m.external for m in hpa.spec.metrics if m.type == "External")
    assert external.metric.name == "rabbitmq_queue_depth", f"text's HPA scales on {external.metric.name}"
    periods = queue_loop_periods(core, apps, monitoring)
    run = QueueRun(
        hpa=hpa.metadata.name,
        minimum=hpa.spec.min_replicas,
        maximum=hpa.spec.max_replicas,
        target=float(kubernetes.utils.parse_quantity(external.target.average_value)),
        periods=periods,
        per_pod_jobs_per_s=1000 / JOB_MS,
        scale_down_deadline_s=hpa.spec.behavior.scale_down.stabilization_window_seconds
        + periods["floor_s"]
        + SCALE_DOWN_SLACK_S,
    )
    assert run.target * run.maximum < BACKLOG, "the backlog must ask for more than the maximum"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    client = ClusterApi(platform.context, platform.kubeconfig).api_client
    with Timeline(client, platform.namespace, run.hpa) as timeline:

        def state():
            s = timeline.sample()
            run.peak_ready = max(run.peak_ready, s.ready)
            return s

        def at_rest():
            s = state()
            queue = broker.queue(TEXT_QUEUE)
            rest = s.custom is not None and (s.desired, s.ready) == (run.minimum,) * 2 and queue["ready"] == 0
            return rest, f"HPA metric {s.custom}, desired {s.desired}, ready {s.ready}, {TEXT_QUEUE} {queue}"

        wait_for(
            at_rest,
            timeout=run.scale_down_deadline_s + 120,
            interval=2,
            expected=f"{run.hpa} at rest before the backlog: its queue metric served, {run.minimum} replica(s)",
        )
        acked_before = broker.acked()
        started = time.monotonic()
        timeline.mark("load start")
        run.published = publish(ingress_url, api_ingress_host, TEXT_QUEUE, count=BACKLOG, work_ms=JOB_MS)
        timeline.mark("backlog published")

        def drained():
            state()
            run.acked = broker.acked() - acked_before
            queue = broker.queue(TEXT_QUEUE)
            empty = queue["ready"] == queue["unacked"] == 0 and run.acked == run.published
            return empty, f"acked {run.acked} of {run.published}, {TEXT_QUEUE} {queue}"

        floor = periods["floor_s"]
        phase(
            run,
            "seconds_to_desired_above_min",
            started,
            wants_more_than(run.minimum, state),
            timeout=2 * floor,
            expected=f"HPA {run.hpa} wanting more than {run.minimum} replica(s) for a backlog of {BACKLOG}",
        )
        phase(
            run,
            "seconds_to_new_pods_ready",
            started,
            all_wanted_ready(run.minimum, state),
            timeout=max(2 * floor + POD_START_S - (time.monotonic() - started), 1),
            expected=f"every replica {run.hpa} wants Ready",
        )
        drain_bound = run.single_floor_drain_s
        phase(
            run,
            "seconds_to_drained",
            started,
            drained,
            timeout=max(drain_bound - (time.monotonic() - started), 1),
            expected=f"{TEXT_QUEUE} empty and all {BACKLOG} jobs acked within {drain_bound:.0f} s (one pod's drain)",
        )
        timeline.mark("load stop")
        stopped = time.monotonic()
        phase(
            run,
            "seconds_back_to_min_after_drain",
            stopped,
            back_at(run.minimum, state),
            timeout=run.scale_down_deadline_s,
            expected=f"{run.hpa} back to {run.minimum} replica(s), all Ready",
        )
        run.acked = broker.acked() - acked_before
        run.seconds["publish_to_ack_p95_s"] = broker.publish_to_ack_p95_s(TEXT_QUEUE, "5m")
    timeline.write_csv(ARTIFACTS / "queue-scale-timeline.csv")
    timeline.plot(
        ARTIFACTS / "queue-scale-timeline.png",
        title=f"{platform.namespace}/{run.hpa} on rabbitmq_queue_depth: {BACKLOG} jobs of {JOB_MS} ms",
        target_percent=None,
        minimum=run.minimum,
        maximum=run.maximum,
        custom=("rabbitmq_queue_messages_ready", run.target),
    )
    phase_timings.figure("queue_scale_out", run.figures())
    return run


def explain(run: QueueRun, name: str) -> str:
    return (
        f"{run.failures.get(name) or run.seconds.get(name)}; floor {run.periods['floor_s']} s ({run.periods}); "
        f"timeline: {ARTIFACTS / 'queue-scale-timeline.csv'}"
    )


def test_a_backlog_makes_the_hpa_want_more_text_replicas_within_twice_the_floor(queue_run):
    took = queue_run.seconds.get("seconds_to_desired_above_min")
    assert took is not None and took <= 2 * queue_run.periods["floor_s"], explain(
        queue_run, "seconds_to_desired_above_min"
    )


def test_the_new_text_pods_are_ready_within_twice_the_floor_plus_a_pod_start(queue_run):
    took = queue_run.seconds.get("seconds_to_new_pods_ready")
    assert took is not None and took <= 2 * queue_run.periods["floor_s"] + POD_START_S, explain(
        queue_run, "seconds_to_new_pods_ready"
    )


def test_the_backlog_drains_faster_than_the_minimum_replicas_alone_could(queue_run):
    took = queue_run.seconds.get("seconds_to_drained")
    assert took is not None and took <= queue_run.single_floor_drain_s, explain(queue_run, "seconds_to_drained")


def test_every_job_published_is_acked(queue_run):
    assert queue_run.published == BACKLOG and queue_run.acked == queue_run.published, (
        f"published {queue_run.published} of {BACKLOG}, the broker counted {queue_run.acked} acked"
    )


def test_text_returns_to_its_minimum_after_the_drain(queue_run):
    took = queue_run.seconds.get("seconds_back_to_min_after_drain")
    assert took is not None and took <= queue_run.scale_down_deadline_s, explain(
        queue_run, "seconds_back_to_min_after_drain"
    )
