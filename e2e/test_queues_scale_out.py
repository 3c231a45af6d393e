"""Queue-driven scale-out on kind's RabbitMQ: a backlog on the text queue scales text out through the clouds'
External-metric rule (rabbitmq_queue_messages_ready, unchanged), drains, and text returns to its minimum with every
job acked.

Bounds come from the cluster's settings (fixtures/backlog.py): the broker's scrape interval, the adapter's relist
interval and the HPA sync period (their sum, the floor: the claims allow twice it, and a pod start for Ready); the
drain must beat what the minimum replicas alone would take. Timeline: artifacts/e2e/queue-scale-timeline.csv and
.png; figures in timings.json (`queue_scale_out`)."""

import pytest

from bootstrap.kubeapi import ClusterApi

from .fixtures.backlog import (
    POD_START_S,
    BacklogRun,
    assert_took_within,
    drain_backlog,
    loop_periods,
    save_timeline,
)
from .fixtures.evidence import ARTIFACTS
from .fixtures.queues import BROKER, NAMESPACE, TEXT_QUEUE, publish
from .fixtures.timeline import Timeline
from .test_scale_out import SCALE_DOWN_SLACK_S

pytestmark = pytest.mark.queues

JOB_MS = 250  # each job's work: a text pod works 4 jobs a second
BACKLOG = 600  # jobs: 150 s for one pod, past the floor, and above the HPA's target x its maximum
TIMELINE = ARTIFACTS / "queue-scale-timeline.csv"


@pytest.fixture(scope="module")
def queue_run(platform, core, apps, autoscaling, monitoring, broker, ingress_url, api_ingress_host, phase_timings):
    hpa = autoscaling.read_namespaced_horizontal_pod_autoscaler("text", platform.namespace)
    periods = loop_periods(core, apps, monitoring, (NAMESPACE, BROKER))
    run = BacklogRun.of(
        hpa,
        metric="rabbitmq_queue_depth",
        periods=periods,
        backlog=BACKLOG,
        per_pod_rate=1000 / JOB_MS,
        slack_s=SCALE_DOWN_SLACK_S,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    client = ClusterApi(platform.context, platform.kubeconfig).api_client

    def waiting():
        queue = broker.queue(TEXT_QUEUE)
        return (queue["ready"] or 0) + (queue["unacked"] or 0), f"{TEXT_QUEUE} {queue}"

    with Timeline(client, platform.namespace, run.hpa) as timeline:
        drain_backlog(
            run,
            timeline,
            submit=lambda: publish(ingress_url, api_ingress_host, TEXT_QUEUE, count=BACKLOG, work_ms=JOB_MS),
            counted=broker.acked,
            waiting=waiting,
            what=f"queue {TEXT_QUEUE}",
        )
        run.seconds["publish_to_ack_p95_s"] = broker.publish_to_ack_p95_s(TEXT_QUEUE, "5m")
    save_timeline(
        run,
        timeline,
        TIMELINE,
        title=f"{platform.namespace}/{run.hpa} on rabbitmq_queue_depth: {BACKLOG} jobs of {JOB_MS} ms",
        series="rabbitmq_queue_messages_ready",
    )
    phase_timings.figure("queue_scale_out", {**run.figures(), "job_ms": JOB_MS})
    return run


def test_a_backlog_makes_the_hpa_want_more_text_replicas_within_twice_the_floor(queue_run):
    assert_took_within(queue_run, "seconds_to_desired_above_min", 2 * queue_run.periods["floor_s"], TIMELINE)


def test_the_new_text_pods_are_ready_within_twice_the_floor_plus_a_pod_start(queue_run):
    assert_took_within(queue_run, "seconds_to_new_pods_ready", 2 * queue_run.periods["floor_s"] + POD_START_S, TIMELINE)


def test_the_backlog_drains_faster_than_the_minimum_replicas_alone_could(queue_run):
    assert_took_within(queue_run, "seconds_to_drained", queue_run.single_floor_drain_s, TIMELINE)


def test_every_job_published_is_acked(queue_run):
    assert queue_run.submitted == BACKLOG and queue_run.done == queue_run.submitted, (
        f"published {queue_run.submitted} of {BACKLOG}, the broker counted {queue_run.done} acked"
    )


def test_text_returns_to_its_minimum_after_the_drain(queue_run):
    assert_took_within(queue_run, "seconds_back_to_min_after_drain", queue_run.scale_down_deadline_s, TIMELINE)
