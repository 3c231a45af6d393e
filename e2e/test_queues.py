"""RabbitMQ on kind, used as the platform uses it: the broker Ready on its volume claim and scraped by Prometheus;
its NetworkPolicy refuses a pod it does not declare; a job published through the REST API's Ingress is consumed
and acked by the text service; a backlog on the text queue scales text out through the clouds' External-metric rule
(rabbitmq_queue_messages_ready, unchanged), drains, and text returns to its minimum with every job acked.

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
from .fixtures.factories import wait_for_pod
from .fixtures.pods import shell_pod
from .fixtures.queues import BROKER, NAMESPACE, TEXT_QUEUE, Broker, publish, queue_loop_periods
from .fixtures.scaling import phase
from .fixtures.timeline import Timeline
from .test_scale_out import SCALE_DOWN_SLACK_S

pytestmark = pytest.mark.queues

READY_WITHIN_S = 180  # the broker's Erlang VM boots on two shared cores
POD_START_S = 30  # a new stand-in pod scheduled, started and Ready on two shared cores
JOB_MS = 250  # each job's work: a text pod works 4 jobs a second
BACKLOG = 600  # jobs: 150 s for one pod, past the floor, and above the HPA's target x its maximum


@pytest.fixture(scope="module")
def broker(monitoring) -> Broker:
    return Broker(monitoring)


@pytest.mark.infrastructure
def test_rabbitmq_is_ready_with_its_state_on_a_volume_claim(platform, apps, core):
    def ready():
        broker = apps.read_namespaced_stateful_set(BROKER, NAMESPACE)
        return (broker.status.ready_replicas or 0) == broker.spec.replicas, f"status {broker.status}"

    wait_for(ready, timeout=READY_WITHIN_S, interval=3, expected=f"StatefulSet {NAMESPACE}/{BROKER} Ready")
    claims = core.list_namespaced_persistent_volume_claim(NAMESPACE).items
    bound = [c for c in claims if c.status.phase == "Bound" and c.spec.storage_class_name]
    assert bound, f"no Bound PersistentVolumeClaim of a StorageClass in {NAMESPACE}: {claims}"
    pod = core.read_namespaced_pod(f"{BROKER}-0", NAMESPACE)
    data = next(v for v in pod.spec.volumes if v.name == "data")
    assert data.persistent_volume_claim and not data.empty_dir, f"the broker's state is not on its claim: {data}"


@pytest.mark.infrastructure
def test_rabbitmq_prometheus_targets_are_up(monitoring):
    def up():
        found = monitoring.query(f'up{{namespace="{NAMESPACE}",job="{BROKER}"}}')
        paths = {s["metric"].get("metrics_path", "?"): s["value"][1] for s in found}
        return paths == {"/metrics": "1", "/metrics/per-object": "1"}, f"up by path: {paths or 'none'}"

    wait_for(up, timeout=120, interval=5, expected="both broker targets (/metrics, /metrics/per-object) up")


@pytest.mark.infrastructure
def test_a_pod_the_broker_policy_does_not_declare_is_refused(toolchain, core, namespace, make_pod, broker):
    """From a namespace the policy does not name: the name resolves, the AMQP port never answers; meanwhile the
    text service, which the policy declares, is connected as a consumer."""
    host = f"{BROKER}.{NAMESPACE}.svc.cluster.local"
    script = (
        f"getent hosts {host} >/dev/null || {{ echo 'no DNS for {host}'; exit 3; }}; "
        f"if timeout 5 bash -c '</dev/tcp/{host}/5672'; then echo connected; exit 1; fi; echo refused"
    )

    def service_account():  # admission refuses a pod until the controller made the namespace's `default`
        names = [a.metadata.name for a in core.list_namespaced_service_account(namespace).items]
        return "default" in names, f"service accounts of {namespace}: {names}"

    wait_for(service_account, timeout=60, interval=1, expected=f"the default ServiceAccount of {namespace}")
    name = make_pod(shell_pod(toolchain, script), prefix="amqp-caller")
    pod = wait_for_pod(
        core, namespace, name, lambda p: p.status.phase in ("Succeeded", "Failed"), expected="the AMQP probe finished"
    )
    log = core.read_namespaced_pod_log(name, namespace)
    assert pod.status.phase == "Succeeded", f"a pod of {namespace} was not refused by the broker: {log}"

    def text_connected():
        queue = broker.queue(TEXT_QUEUE)
        return (queue["consumers"] or 0) >= 1, f"{TEXT_QUEUE}: {queue}"

    wait_for(text_connected, timeout=60, interval=5, expected=f"the text service consuming {TEXT_QUEUE}")


def test_a_job_published_through_the_api_ingress_is_consumed_and_acked_by_text(
    broker, ingress_url, api_ingress_host, phase_timings
):
    wait_for(
        lambda: (broker.acked() is not None, "no rabbitmq_global_messages_acknowledged_total yet"),
        timeout=60,
        interval=5,
        expected="the broker's ack counter in Prometheus",
    )
    acked_before, published_before = broker.acked(), broker.published_by_api(TEXT_QUEUE) or 0
    started = time.monotonic()
    published = publish(ingress_url, api_ingress_host, TEXT_QUEUE, count=20, work_ms=10)
    assert published == 20, f"the API confirmed {published} of 20 jobs"

    def all_acked():
        acked = broker.acked() - acked_before
        queue = broker.queue(TEXT_QUEUE)
        counted_in = (broker.published_by_api(TEXT_QUEUE) or 0) - published_before
        done = acked == published == counted_in and queue["ready"] == queue["unacked"] == 0
        return done, f"published {published} (API counted {counted_in}), acked {acked}, {TEXT_QUEUE} {queue}"

    wait_for(all_acked, timeout=60, interval=2, expected=f"{published} jobs counted in and acked, the queue empty")
    phase_timings.figure(
        "queue_publish_to_ack",
        {
            "jobs": published,
            "seconds_to_all_acked_in_prometheus": round(time.monotonic() - started, 1),
            "publish_to_ack_p95_s": broker.publish_to_ack_p95_s(TEXT_QUEUE, "2m"),
        },
    )


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

        def desired_above_min():
            s = state()
            return s.desired > run.minimum, f"desired {s.desired} (min {run.minimum}), queue metric {s.custom}"

        def new_pods_ready():
            s = state()
            return s.desired > run.minimum and s.ready >= s.desired, f"ready {s.ready} of desired {s.desired}"

        def drained():
            state()
            run.acked = broker.acked() - acked_before
            queue = broker.queue(TEXT_QUEUE)
            empty = queue["ready"] == queue["unacked"] == 0 and run.acked == run.published
            return empty, f"acked {run.acked} of {run.published}, {TEXT_QUEUE} {queue}"

        def back_to_min():
            s = state()
            return (s.desired, s.current, s.ready) == (run.minimum,) * 3, (
                f"desired {s.desired}, current {s.current}, ready {s.ready} (min {run.minimum})"
            )

        floor = periods["floor_s"]
        phase(
            run,
            "seconds_to_desired_above_min",
            started,
            desired_above_min,
            timeout=2 * floor,
            expected=f"HPA {run.hpa} wanting more than {run.minimum} replica(s) for a backlog of {BACKLOG}",
        )
        phase(
            run,
            "seconds_to_new_pods_ready",
            started,
            new_pods_ready,
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
            back_to_min,
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
