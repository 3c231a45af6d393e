"""RabbitMQ's alerts (stacks/delivery/values/rabbitmq-alerts.yaml, the clouds' and kind's), checked and unit-tested
with the pinned promtool: each parses, fires on its failing series after its `for:` and stays silent on healthy
ones. The series carry the names and labels the rabbitmq_prometheus plugin exports (checked live on kind by
e2e/test_queues.py), as Prometheus scrapes them in the namespace `rabbitmq`."""

import subprocess

import pytest
import yaml

from contract.tools import tool
from stacks.delivery.rabbitmq_alerts import bitnami_rule_values, rabbitmq_alerts

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


def minutes(duration: str) -> int:
    assert duration.endswith("m"), f"write `for:` in minutes: {duration}"
    return int(duration[:-1])


def rendered(text: str, labels: dict) -> str:
    return text.replace("{{ $labels.queue }}", labels.get("queue", ""))


def test_every_rabbitmq_alert_has_failing_and_healthy_series():
    assert {rule["alert"] for rule in rabbitmq_alerts()} == set(CASES)


def test_the_clouds_bitnami_release_gets_the_same_rules():
    assert bitnami_rule_values()["metrics"]["prometheusRule"] == {"enabled": True, "rules": rabbitmq_alerts()}


def test_every_rabbitmq_alert_fires_after_its_for_and_stays_silent_when_healthy(tmp_path):
    rules = tmp_path / "rabbitmq.rules.yaml"
    rules.write_text(yaml.safe_dump({"groups": [{"name": "rabbitmq", "rules": rabbitmq_alerts()}]}))
    checked = subprocess.run([tool("promtool"), "check", "rules", rules], capture_output=True, text=True)
    assert checked.returncode == 0, f"promtool check rules:\n{checked.stdout}\n{checked.stderr}"
    tests = []
    for rule in rabbitmq_alerts():
        failing, healthy, kept = CASES[rule["alert"]]
        hold = minutes(rule["for"])
        expected = {
            "exp_labels": {**rule["labels"], **kept},
            "exp_annotations": {key: rendered(value, kept) for key, value in rule["annotations"].items()},
        }
        fires_at = f"{hold + 2}m"

        def case(series, checks):
            return {
                "interval": "1m",
                "input_series": [{"series": s, "values": v} for s, v in series],
                "alert_rule_test": checks,
            }

        silent_before = (
            [{"eval_time": f"{hold - 1}m", "alertname": rule["alert"], "exp_alerts": []}] if hold > 1 else []
        )
        tests += [
            case(
                failing, [*silent_before, {"eval_time": fires_at, "alertname": rule["alert"], "exp_alerts": [expected]}]
            ),
            case(healthy, [{"eval_time": fires_at, "alertname": rule["alert"], "exp_alerts": []}]),
        ]
    test_file = tmp_path / "rabbitmq.test.yaml"
    test_file.write_text(yaml.safe_dump({"rule_files": [rules.name], "evaluation_interval": "1m", "tests": tests}))
    result = subprocess.run([tool("promtool"), "test", "rules", test_file], capture_output=True, text=True)
    assert result.returncode == 0, f"promtool test rules:\n{result.stdout}\n{result.stderr}"
