"""Durability under load: with workflows started through the REST API's Ingress running and jobs published to text's
queue waiting, the drill deletes Temporal's PostgreSQL pod, then RabbitMQ's, then Temporal's server pod, each once
the one before it has recovered. Every workflow the API accepted completes, every job the broker confirmed is worked
and acked once (none lost; a redelivery of a job already worked, its ack lost with the broker, is acked without
working it again; a job whose publish was refused unconfirmed may be worked too), and each deleted pod's replacement
is Ready and its service accepts work through the platform again within a bound derived from the pod's grace period
and its start on two shared cores. A start or publish the platform refused during an outage (the client saw the
error) is counted as refused, not as work. Recovery seconds per pod in timings.json (`durability`; `make bench-e2e`
prints them)."""

import time

import pytest

from bootstrap.waiting import wait_for

from .fixtures.durability import (
    VICTIMS,
    Deletion,
    DurabilityRun,
    Traffic,
    Works,
    replaced,
    restarts,
    statuses,
    workload_pods,
)
from .fixtures.pods import is_ready
from .fixtures.queues import TEXT_QUEUE
from .fixtures.scaling import phase
from .fixtures.temporal import COMPLETES_WITHIN_S

pytestmark = [pytest.mark.durability, pytest.mark.drills]

WORKFLOWS_PER_DELETION = 4  # started just before each deletion, both workers' task queues in turn
# Each one's activity: CPU time the worker burns (at its 0.5 core limit, a few seconds), so it still runs when the pod
# goes; 3 s made the Python worker (GIL, four at once) overrun the activity's 30 s timeout three times when loaded.
WORKFLOW_MS = 1000
JOBS_PER_DELETION = 20  # published just before each deletion: below text's HPA target (50 ready), so no scale-out
JOB_MS = 500  # each job's work: one text pod works 2 a second, so a batch waits in the queue for 10 s
PROBE_MS = 20  # the work of a start or a publish that asks whether the platform accepts work again
# An activity whose completion an outage swallowed runs again once its start-to-close timeout (30 s, temporal.go)
# fires; then it completes as any workflow does.
SETTLED_WITHIN_S = 30 + COMPLETES_WITHIN_S
SCRAPE_S = 5  # Prometheus' scrape interval on kind (stacks/delivery/local_monitoring.py): the counters' lag
DRAINED_WITHIN_S = 3 * JOBS_PER_DELETION * JOB_MS / 1000 + 6 * SCRAPE_S


def at_rest(broker, seen: list) -> tuple[bool, str]:
    """text consumes its queue, the queue is empty and the consumers' ack count held still for a scrape."""
    queue, acked = broker.queue(TEXT_QUEUE), broker.acked_by_consumers(TEXT_QUEUE)
    seen.append(acked)
    steady = len(seen) > 1 and seen[-2] == acked
    met = (queue["consumers"] or 0) >= 1 and queue["ready"] == queue["unacked"] == 0 and steady
    return met, f"{TEXT_QUEUE} {queue}; consumers' acks over the last scrapes {seen[-3:]}"


def delete_with_work_in_flight(core, apps, temporal, broker, run: DurabilityRun, victim, acked_before: float):
    """Starts workflows and publishes jobs, deletes the victim's pod while they are in flight, and waits (twice its
    bound, so a slow recovery is still measured) for its replacement Ready and the platform accepting work again."""
    traffic = run.traffic
    batch = [w for w in (traffic.start(WORKFLOW_MS) for _ in range(WORKFLOWS_PER_DELETION)) if w]
    traffic.publish(JOBS_PER_DELETION, JOB_MS)
    pod = next(p for p in workload_pods(core, apps, victim) if is_ready(p) and not p.metadata.deletion_timestamp)
    deletion = Deletion(victim, grace_s=pod.spec.termination_grace_period_seconds)
    deletion.workflows_in_flight = list(statuses(temporal, batch).values()).count("RUNNING")
    deletion.jobs_in_flight = traffic.published - (broker.acked_by_consumers(TEXT_QUEUE) - acked_before)
    run.deletions.append(deletion)
    deleted = time.monotonic()
    core.delete_namespaced_pod(pod.metadata.name, victim.namespace)

    def replaced_under_load():
        traffic.send(PROBE_MS, JOB_MS)  # the platform keeps getting work while the pod is gone
        return replaced(core, apps, deletion, pod.metadata.uid)

    phase(
        deletion,
        "ready_s",
        deleted,
        replaced_under_load,
        timeout=2 * deletion.bound_s,
        expected=f"a Ready replacement of {victim.namespace}/{pod.metadata.name}",
    )
    phase(
        deletion,
        "answering_s",
        deleted,
        Works(traffic, temporal, victim, PROBE_MS),
        timeout=max(2 * deletion.bound_s - (time.monotonic() - deleted), 1),
        expected=f"a {victim.answers} through the REST API done again after {victim.name}'s restart",
    )


@pytest.fixture(scope="module")
def durability(platform, core, apps, temporal, broker, ingress_url, api_ingress_host, phase_timings) -> DurabilityRun:
    """The drill, once: the victims deleted in turn with work in flight, then every workflow settled and text's
    queue drained; its record is what the claims read."""
    run = DurabilityRun(Traffic(ingress_url, api_ingress_host))
    seen: list[float] = []
    wait_for(
        lambda: at_rest(broker, seen),
        timeout=COMPLETES_WITHIN_S,
        interval=SCRAPE_S,
        expected=f"text consuming {TEXT_QUEUE}, the queue empty and its acks steady before the drill",
    )
    acked_before, repeated_before = seen[-1], broker.redelivered_done_by_consumers(TEXT_QUEUE)
    workflow_victim = next(v for v in VICTIMS if v.answers == "workflow")
    wait_for(
        Works(run.traffic, temporal, workflow_victim, PROBE_MS),
        timeout=COMPLETES_WITHIN_S,
        interval=2,
        expected="a workflow through the REST API completed before the drill",
    )
    started = time.monotonic()
    for victim in VICTIMS:
        delete_with_work_in_flight(core, apps, temporal, broker, run, victim, acked_before)
    run.traffic.finish()

    def settled():
        run.workflows = statuses(temporal, run.traffic.started)
        running = [w for w, status in run.workflows.items() if status == "RUNNING"]
        return not running, f"{len(running)} of {len(run.workflows)} still running: {running[:5]}"

    def drained():
        run.acked = broker.acked_by_consumers(TEXT_QUEUE) - acked_before
        run.redelivered_done = broker.redelivered_done_by_consumers(TEXT_QUEUE) - repeated_before
        run.queue = broker.queue(TEXT_QUEUE)
        empty = run.queue["ready"] == run.queue["unacked"] == 0
        return empty and run.acked >= run.traffic.published, (
            f"published {run.traffic.published}, acked {run.acked}, {TEXT_QUEUE} {run.queue}"
        )

    phase(run, "workflows_settled_s", started, settled, timeout=SETTLED_WITHIN_S, expected="every workflow settled")
    phase(run, "jobs_drained_s", started, drained, timeout=DRAINED_WITHIN_S, expected=f"{TEXT_QUEUE} drained")
    for deletion in run.deletions:
        if deletion.replacement:
            deletion.restarts = restarts(core, deletion.victim.namespace, deletion.replacement)
    phase_timings.figure("durability", run.figures())
    return run


@pytest.mark.parametrize("victim", VICTIMS, ids=lambda v: v.name)
def test_the_pod_was_deleted_with_workflows_running_and_jobs_waiting(durability, victim):
    deletion = next(d for d in durability.deletions if d.victim == victim)
    assert deletion.workflows_in_flight > 0 and deletion.jobs_in_flight > 0, (
        f"{victim.name} deleted with {deletion.workflows_in_flight} workflows running and {deletion.jobs_in_flight} "
        "jobs waiting: the drill put nothing at stake"
    )


def test_every_workflow_the_rest_api_accepted_completes(durability):
    started, statuses_seen = durability.traffic.started, durability.workflows
    completed = [w for w, status in statuses_seen.items() if status == "COMPLETED"]
    others = {w: status for w, status in statuses_seen.items() if status != "COMPLETED"}
    assert started and len(completed) == len(started), (
        f"{len(started)} started, {len(completed)} completed; not completed: {others}; "
        f"{durability.failures.get('workflows_settled_s', '')}"
    )


def test_every_job_the_broker_confirmed_is_worked_once_and_the_queue_is_empty(durability):
    """Beyond the confirmed jobs, text may work only those whose publish the client saw refused without knowing
    whether the broker had queued them (it stopped before confirming)."""
    published, acked, queue = durability.traffic.published, durability.acked, durability.queue
    unconfirmed = durability.traffic.unconfirmed
    worked_once = published <= acked <= published + unconfirmed
    assert published and worked_once and queue.get("ready") == queue.get("unacked") == 0, (
        f"published (confirmed) {published}, {unconfirmed} more refused unconfirmed; worked and acked by text "
        f"{acked} (and {durability.redelivered_done} redeliveries of jobs already worked, acked again), "
        f"{TEXT_QUEUE} {queue}; "
        f"{durability.failures.get('jobs_drained_s', '')}"
    )


@pytest.mark.parametrize("victim", VICTIMS, ids=lambda v: v.name)
def test_the_deleted_pod_is_replaced_ready_and_its_service_accepts_work_again_within_its_bound(durability, victim):
    deletion = next(d for d in durability.deletions if d.victim == victim)
    took = [deletion.seconds.get(name) for name in ("ready_s", "answering_s")]
    assert all(s is not None and s <= deletion.bound_s for s in took), (
        f"{victim.name}: {deletion.replacement or 'no replacement'} Ready after {took[0]} s "
        f"({deletion.restarts} restarts by the drill's end), a {victim.answers} done again after {took[1]} s; bound "
        f"{deletion.bound_s} s (grace {deletion.grace_s} s + start {victim.start_s} s); {deletion.failures}"
    )
