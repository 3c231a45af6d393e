"""RabbitMQ's alerts (stacks/delivery/values/rabbitmq-alerts.yaml, the clouds' and kind's), checked and unit-tested
with the pinned promtool: each parses, fires on its failing series after its `for:` and stays silent on healthy
ones. The series carry the names and labels the rabbitmq_prometheus plugin exports (checked live on kind by
e2e/test_queues.py), as Prometheus scrapes them in the namespace `rabbitmq`."""

import pytest

from deliverykit import delivery, documents, releases
from promtoolkit import assert_alerts_fire_after_their_for
from stacks.delivery.rabbitmq_alerts import rabbitmq_alerts

pytestmark = pytest.mark.toolchain

UP = 'up{namespace="rabbitmq",job="rabbitmq",endpoint="metrics"}'
READY = 'rabbitmq_queue_messages_ready{namespace="rabbitmq",job="rabbitmq",vhost="/",queue="text-jobs"}'
READY_TOTAL = 'rabbitmq_queue_messages_ready{namespace="rabbitmq",job="rabbitmq"}'  # /metrics: over all queues
CONSUMERS = 'rabbitmq_queue_consumers{namespace="rabbitmq",job="rabbitmq",vhost="/",queue="text-jobs"}'
MEMORY = 'rabbitmq_alarms_memory_used_watermark{namespace="rabbitmq",job="rabbitmq"}'
DISK = 'rabbitmq_alarms_free_disk_space_watermark{namespace="rabbitmq",job="rabbitmq"}'
QUEUE = {"vhost": "/", "queue": "text-jobs"}

# alert -> (failing series, healthy series, labels the expression keeps, annotations rendered for text-jobs)
CASES = {
    "RabbitMQDown": ([(UP, "0x40")], [(UP, "1x40")], {}),
    "RabbitMQQueueWithoutConsumer": (
        [(READY, "5x40"), (READY_TOTAL, "5x40"), (CONSUMERS, "0x40")],
        [(READY, "5x40"), (READY_TOTAL, "5x40"), (CONSUMERS, "2x40")],
        QUEUE,
    ),
    "RabbitMQQueueGrowing": (
        [(READY, "2000+100x40"), (READY_TOTAL, "2000+100x40"), (CONSUMERS, "4x40")],
        [(READY, "2000-40x40"), (READY_TOTAL, "2000-40x40"), (CONSUMERS, "4x40")],
        QUEUE,
    ),
    "RabbitMQResourceAlarm": ([(MEMORY, "1x40"), (DISK, "0x40")], [(MEMORY, "0x40"), (DISK, "0x40")], {}),
}


def test_every_rabbitmq_alert_has_failing_and_healthy_series():
    assert {rule["alert"] for rule in rabbitmq_alerts()} == set(CASES)


@pytest.mark.parametrize("env", ["local", "prod-eu", "prod-eu-az"])
def test_every_environments_broker_release_gets_the_same_rules(env):
    assert {"alerts": rabbitmq_alerts()}.items() <= {
        key: value for document in documents(releases(delivery(env))["rabbitmq"]) for key, value in document.items()
    }.items()


def test_every_rabbitmq_alert_fires_after_its_for_and_stays_silent_when_healthy(tmp_path):
    assert_alerts_fire_after_their_for(tmp_path, "rabbitmq", rabbitmq_alerts(), CASES, settle_minutes=2)
