"""Task-queue-driven scale-out on kind's Temporal: workflows started through the REST API faster than one Go worker
drains them build a backlog on platform-go, which scales temporal-worker-go out through the clouds' External-metric
rule (approximate_backlog_count, unchanged); every workflow completes and the worker returns to its minimum.

The activities wait (as ones calling a model or an API do) rather than burn CPU, and the worker runs two at a
time (env-local's TEMPORAL_MAX_CONCURRENT_ACTIVITIES), so the backlog, not CPU, is what asks for replicas. Bounds
come from the cluster (fixtures/backlog.py): matching records the backlog gauge every updateAckInterval (the server's
dynamic configuration), then the scrape, the adapter's relist and the HPA sync. The episode runs beside the memory
one and the alert (fixtures/side_by_side.py), where the suite reaches the first of their claims. Timeline:
artifacts/e2e/temporal-scale-timeline.csv and .png; figures in timings.json (`temporal_scale_out`)."""

import datetime

import pytest
import yaml

from bootstrap.kubeapi import ClusterApi
from stacks.delivery.local_temporal import CLOUD_VALUES

from .fixtures.backlog import (
    POD_START_S,
    BacklogRun,
    assert_took_within,
    drain_backlog,
    loop_periods,
    save_timeline,
)
from .fixtures.evidence import ARTIFACTS
from .fixtures.monitoring import seconds
from .fixtures.side_by_side import QUIET, side_by_side
from .fixtures.temporal import NAMESPACE, start_workflow
from .fixtures.timeline import Timeline
from .test_scale_out import SCALE_DOWN_SLACK_S

pytestmark = pytest.mark.temporal

TASK_QUEUE = "platform-go"
WORKER = "temporal-worker-go"
SLOTS = 2  # env-local's TEMPORAL_MAX_CONCURRENT_ACTIVITIES for the Go worker
WAIT_MS = 500  # each activity's wait: a worker completes SLOTS / 0.5 s = 4 workflows a second
BACKLOG = 600  # workflows: 150 s for one worker, past the floor, and above the HPA's target x its maximum
CHUNK = 100  # workflows per POST, each well within the Ingress's read timeout
TIMELINE = ARTIFACTS / "temporal-scale-timeline.csv"


def update_ack_interval_s() -> float:
    """How often matching records approximate_backlog_count: the servers' matching.updateAckInterval."""
    setting = yaml.safe_load(CLOUD_VALUES.read_text())["server"]["dynamicConfig"]["matching.updateAckInterval"]
    return seconds(next(v["value"] for v in setting if not v.get("constraints")))


def on_queue(status: str, since: str) -> str:
    return f'TaskQueue = "{TASK_QUEUE}" AND ExecutionStatus = "{status}" AND StartTime >= "{since}"'


@side_by_side(QUIET)
def backlog_episode(
    platform, core, apps, autoscaling, monitoring, temporal, ingress_url, api_ingress_host, phase_timings
):
    """The episode, beside the others (fixtures/side_by_side.py): the only one of them on the session's clients."""
    since = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    hpa = autoscaling.read_namespaced_horizontal_pod_autoscaler(WORKER, platform.namespace)
    periods = loop_periods(core, apps, monitoring, (NAMESPACE, "temporal-server"), update_ack_interval_s())
    run = BacklogRun.of(
        hpa,
        metric="temporal_task_queue_backlog",
        periods=periods,
        backlog=BACKLOG,
        per_pod_rate=SLOTS * 1000 / WAIT_MS,
        slack_s=SCALE_DOWN_SLACK_S,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    client = ClusterApi(platform.context, platform.kubeconfig).api_client

    def submit() -> int:
        return sum(
            start_workflow(ingress_url, api_ingress_host, TASK_QUEUE, work_ms=0, wait_ms=WAIT_MS, count=CHUNK)[
                "started"
            ]
            for _ in range(BACKLOG // CHUNK)
        )

    def waiting():
        running = temporal.count(on_queue("Running", since))
        return running, f"{running} running on {TASK_QUEUE}"

    with Timeline(client, platform.namespace, run.hpa) as timeline:
        drain_backlog(
            run,
            timeline,
            submit=submit,
            counted=lambda: temporal.count(on_queue("Completed", since)),
            waiting=waiting,
            what=f"task queue {TASK_QUEUE}",
        )
    run.seconds["not_completed"] = {
        status: temporal.count(on_queue(status, since)) for status in ("Failed", "TimedOut", "Terminated", "Canceled")
    }
    if run.done < run.submitted:
        run.failures["still_running"] = temporal.explain(on_queue("Running", since))
    save_timeline(
        run,
        timeline,
        TIMELINE,
        title=f"{platform.namespace}/{run.hpa} on its task-queue backlog: {BACKLOG} workflows of {WAIT_MS} ms",
        series="approximate_backlog_count",
    )
    phase_timings.figure("temporal_scale_out", {**run.figures(), "wait_ms": WAIT_MS, "slots": SLOTS})
    return run


@pytest.fixture(scope="module")
def backlog_run(request, side_by_side_runs) -> BacklogRun:
    return side_by_side_runs.result(backlog_episode, request)


def test_a_backlog_makes_the_hpa_want_more_go_workers_within_twice_the_floor(backlog_run):
    assert_took_within(backlog_run, "seconds_to_desired_above_min", 2 * backlog_run.periods["floor_s"], TIMELINE)


def test_the_new_workers_are_ready_within_twice_the_floor_plus_a_pod_start(backlog_run):
    assert_took_within(
        backlog_run, "seconds_to_new_pods_ready", 2 * backlog_run.periods["floor_s"] + POD_START_S, TIMELINE
    )


def test_the_backlog_drains_faster_than_one_worker_alone_could(backlog_run):
    assert_took_within(backlog_run, "seconds_to_drained", backlog_run.single_floor_drain_s, TIMELINE)


def test_every_workflow_started_completes(backlog_run):
    assert backlog_run.submitted == BACKLOG and backlog_run.done == backlog_run.submitted, (
        f"started {backlog_run.submitted} of {BACKLOG}, {backlog_run.done} completed; "
        f"not completed: {backlog_run.seconds.get('not_completed')}; "
        f"running: {backlog_run.failures.get('still_running')}"
    )
    assert not any(backlog_run.seconds["not_completed"].values()), backlog_run.seconds["not_completed"]


def test_the_go_worker_returns_to_its_minimum_after_the_drain(backlog_run):
    assert_took_within(backlog_run, "seconds_back_to_min_after_drain", backlog_run.scale_down_deadline_s, TIMELINE)
