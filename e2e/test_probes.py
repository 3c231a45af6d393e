"""The platform's probes do what the charts declare: an unready pod leaves its Service and returns, a container
failing liveness is restarted. Deadlines come from the probe settings the pods run with (e2e values), plus slack
for the kubelet's and the EndpointSlice controller's own delays."""

import pytest

from bootstrap.waiting import wait_for

from .fixtures.pods import endpoint_ready, is_ready, ready_pods_of

pytestmark = pytest.mark.probes

READINESS_SERVICE = "graphql-api"  # any platform Service; not the REST API, which the scale claims load
LIVENESS_SERVICE = "text"
SLACK_S = 10


def probe_window(probe) -> int:
    """Seconds a probe takes to change its verdict: every period, failure_threshold times in a row."""
    return probe.period_seconds * probe.failure_threshold


def test_a_pod_switched_unready_leaves_its_services_endpoints_and_returns_when_switched_back(
    platform, core, discovery_api, admin_switch
):
    ns, service = platform.namespace, READINESS_SERVICE
    pod = ready_pods_of(core, ns, service)[0]
    name = pod.metadata.name
    within = probe_window(pod.spec.containers[0].readiness_probe) + SLACK_S

    def listed_as(wanted: bool):
        def check():
            seen = endpoint_ready(discovery_api, ns, service, name)
            return (seen is True) == wanted, f"EndpointSlice lists {name} as ready={seen}"

        return check

    wait_for(listed_as(True), timeout=SLACK_S, expected=f"the Ready pod {name} among {service}'s ready endpoints")
    admin_switch(pod, "ready", "off")
    wait_for(
        listed_as(False),
        timeout=within,
        expected=f"{name} out of {service}'s ready endpoints (readiness period x failure threshold + slack)",
    )
    admin_switch(pod, "ready", "on")
    wait_for(listed_as(True), timeout=within, expected=f"{name} back among {service}'s ready endpoints")


def test_a_container_failing_liveness_is_restarted_and_comes_back_ready(platform, core, admin_switch):
    ns = platform.namespace
    pod = ready_pods_of(core, ns, LIVENESS_SERVICE)[0]
    name, container = pod.metadata.name, pod.spec.containers[0]
    restarts_before = pod.status.container_statuses[0].restart_count
    # failing probes, then the kill (preStop and grace period at most), then a fresh start
    restart_within = probe_window(container.liveness_probe) + pod.spec.termination_grace_period_seconds + SLACK_S
    ready_within = probe_window(container.startup_probe or container.readiness_probe) + SLACK_S

    def restarted():
        now = core.read_namespaced_pod(name, ns).status.container_statuses[0]
        return now.restart_count > restarts_before, f"restartCount {now.restart_count} (was {restarts_before})"

    def ready_again():
        now = core.read_namespaced_pod(name, ns)
        return is_ready(now), f"conditions {[(c.type, c.status) for c in now.status.conditions or []]}"

    admin_switch(pod, "live", "off")
    wait_for(restarted, timeout=restart_within, expected=f"{name}'s container restarted by its liveness probe")
    wait_for(ready_again, timeout=ready_within, expected=f"{name} Ready again after its restart")
