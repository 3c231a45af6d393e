"""RabbitMQ on kind, used as the platform uses it: the broker Ready on its volume claim and scraped by Prometheus;
its NetworkPolicy refuses a pod it does not declare; a job published through the REST API's Ingress is consumed
and acked by the text service, counted in = counted acked. (Its queue-driven scale-out: test_queue_scale_out.py.)"""

import time

import pytest

from bootstrap.waiting import wait_for

from .fixtures.factories import wait_for_pod
from .fixtures.pods import shell_pod
from .fixtures.queues import BROKER, NAMESPACE, TEXT_QUEUE, publish

pytestmark = pytest.mark.queues

READY_WITHIN_S = 180  # the broker's Erlang VM boots on two shared cores


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
