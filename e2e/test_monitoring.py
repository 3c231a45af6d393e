"""Monitoring on kind, as in the clouds: Prometheus scrapes every platform ServiceMonitor's targets and loads every
PrometheusRule group without evaluation errors, and an alert goes all the way from a fault to the in-cluster
webhook receiver, within the time the rule's `for:`, the evaluation interval and Alertmanager's group_wait allow.
The fault and its alert are a wait on Prometheus and Alertmanager alone: they run beside the scale-out episodes
(fixtures/side_by_side.py)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from bootstrap.kubeapi import ClusterApi
from bootstrap.waiting import WaitTimeout, wait_for

from .fixtures.monitoring import Monitoring, epoch, seconds
from .fixtures.side_by_side import QUIET, side_by_side

pytestmark = pytest.mark.monitoring

# Prometheus discovers a new ServiceMonitor's targets, reloads its config and scrapes each once (5 s on kind).
TARGETS_UP_WITHIN_S = 120
# What the alert claim allows beyond its floor: service discovery dropping the scaled-away targets (the alert's
# expression turns true only then), the receiver's poll, two shared cores.
ALERT_SLACK_S = 30
# No other service calls it and no other claim uses it (the memory episode beside this one scales integrations).
FAULTED_SERVICE = "media"


def test_every_service_monitor_target_is_up(monitoring):
    monitors = {f"{m['metadata']['namespace']}/{m['metadata']['name']}" for m in monitoring.service_monitors()}
    assert monitors, "no ServiceMonitor in the cluster: are the charts' monitoring values on?"

    def all_up():
        targets = monitoring.prometheus("targets", state="active")["activeTargets"]
        pools = {}
        for target in targets:
            pool = target["scrapePool"]  # serviceMonitor/<namespace>/<name>/<endpoint index>
            if pool.startswith("serviceMonitor/"):
                pools.setdefault("/".join(pool.split("/")[1:3]), []).append(target)
        missing = sorted(monitors - set(pools))
        down = sorted(
            f"{monitor}: {t['labels'].get('pod', t['scrapeUrl'])} {t['health']} {t['lastError']}".strip()
            for monitor, found in pools.items()
            for t in found
            if t["health"] != "up"
        )
        return not missing and not down, f"ServiceMonitors without targets: {missing}; targets not up: {down}"

    wait_for(
        all_up,
        timeout=TARGETS_UP_WITHIN_S,
        interval=3,
        expected=f"every target of the {len(monitors)} ServiceMonitors up",
    )


def test_every_rule_group_is_loaded_and_evaluates_without_errors(monitoring):
    expected = {group["name"] for rule in monitoring.prometheus_rules() for group in rule["spec"]["groups"]}
    assert expected, "no PrometheusRule in the cluster: are the charts' monitoring values on?"
    interval = seconds(monitoring.prometheus_spec()["evaluationInterval"])

    def loaded_and_healthy():
        groups = monitoring.prometheus("rules")["groups"]
        loaded = {group["name"] for group in groups}
        broken = [
            f"{group['name']}/{rule['name']}: {rule.get('lastError')}"
            for group in groups
            for rule in group["rules"]
            if rule.get("health") == "err"
        ]
        unevaluated = [group["name"] for group in groups if group.get("lastEvaluation", "0001").startswith("0001")]
        missing = sorted(expected - loaded)
        return (
            not missing and not broken and not unevaluated,
            f"groups not loaded: {missing}; not yet evaluated: {unevaluated}; rules with errors: {broken}",
        )

    wait_for(
        loaded_and_healthy,
        timeout=TARGETS_UP_WITHIN_S + 2 * interval,
        interval=3,
        expected=f"all {len(expected)} PrometheusRule groups loaded, evaluated, no rule in error",
    )


@contextmanager
def scaled_to_zero(apps, namespace: str, name: str) -> Iterator[float]:
    """The Deployment at zero replicas (yields when, as a Unix time); restored and awaited afterwards."""
    replicas = apps.read_namespaced_deployment(name, namespace).spec.replicas
    apps.patch_namespaced_deployment_scale(name, namespace, {"spec": {"replicas": 0}})
    try:
        yield time.time()
    finally:
        apps.patch_namespaced_deployment_scale(name, namespace, {"spec": {"replicas": replicas}})

        def restored():
            deployment = apps.read_namespaced_deployment(name, namespace)
            return (deployment.status.ready_replicas or 0) >= replicas, f"{deployment.status.ready_replicas} ready"

        wait_for(restored, timeout=120, interval=2, expected=f"{namespace}/{name} back at {replicas} ready replica(s)")


def down_alert(monitoring, service: str) -> dict:
    for prometheus_rule in monitoring.prometheus_rules():
        for group in prometheus_rule["spec"]["groups"]:
            for rule in group["rules"]:
                if rule.get("alert", "").endswith("Down") and rule.get("labels", {}).get("service") == service:
                    return rule
    raise AssertionError(f"no Down alert for {service} among the PrometheusRules")


@dataclass
class AlertRun:
    alert: str
    floor_s: float  # the rule's for: + the evaluation interval + Alertmanager's group_wait
    deadline_s: float
    seconds: float | None = None  # fault -> the firing notification at the receiver
    failure: str = ""


def firing_received(monitoring: Monitoring, alert: str, since: float) -> float | None:
    """When (a Unix time) the receiver got the first notification of `alert` firing at or after `since`, if it did
    (the receiver runs on a kind node: the same clock as this process)."""
    for record in monitoring.received_alerts():
        received = epoch(record["received"])
        for found in record["payload"].get("alerts", []):
            if found["labels"].get("alertname") == alert and found["status"] == "firing" and received >= since:
                return received
    return None


@side_by_side(QUIET)
def alert_episode(platform, monitoring, phase_timings) -> AlertRun:
    """The fault and its alert, beside the scale-out episodes: clients of its own."""
    cluster = ClusterApi(platform.context, platform.kubeconfig)
    monitoring = monitoring.on(cluster)
    rule = down_alert(monitoring, FAULTED_SERVICE)
    evaluation = seconds(monitoring.prometheus_spec()["evaluationInterval"])
    group_wait = seconds(monitoring.alertmanager_config()["route"]["group_wait"])
    floor = seconds(rule["for"]) + evaluation + group_wait
    run = AlertRun(alert=rule["alert"], floor_s=floor, deadline_s=floor + ALERT_SLACK_S)

    with scaled_to_zero(cluster.apps, platform.namespace, FAULTED_SERVICE) as faulted_at:

        def delivered():
            received = firing_received(monitoring, run.alert, since=faulted_at)
            return received is not None, f"{len(monitoring.received_alerts())} notifications, none firing since"

        try:
            wait_for(
                delivered,
                timeout=run.deadline_s,
                interval=2,
                expected=f"{run.alert} firing at the in-cluster receiver (floor {floor:.0f} s: for {rule['for']} + "
                f"evaluation {evaluation:.0f} s + group_wait {group_wait:.0f} s)",
            )
        except WaitTimeout as timeout:
            run.failure = str(timeout)
        else:
            run.seconds = round(firing_received(monitoring, run.alert, since=faulted_at) - faulted_at, 1)
            phase_timings.figure(
                "fault_to_alert",
                {"seconds": run.seconds, "floor_s": floor, "deadline_s": run.deadline_s, "alert": run.alert},
            )
    return run


@pytest.fixture(scope="module")
def alert_run(request, side_by_side_runs) -> AlertRun:
    return side_by_side_runs.result(alert_episode, request)


def test_a_service_scaled_to_zero_alerts_the_in_cluster_receiver_within_its_for_window(alert_run):
    assert alert_run.seconds is not None, alert_run.failure
    assert alert_run.seconds <= alert_run.deadline_s, (
        f"{alert_run.alert} reached the receiver {alert_run.seconds:.0f} s after the fault; bound "
        f"{alert_run.deadline_s:.0f} s"
    )
