"""Services find each other by name: from a pod inside the platform namespace every Service resolves by its short
name and its FQDN and answers HTTP as itself; every service reaches each dependency its chart declares, at the
URL its ConfigMap gives it."""

import pytest

from .fixtures.podhttp import answers_within
from .fixtures.pods import ready_pods_of

pytestmark = pytest.mark.discovery

DEPENDS_ON = "voiceplat.io/depends-on"  # the charts' annotation listing a service's dependencies


def test_every_service_answers_http_by_short_name_and_by_fqdn_from_a_pod_in_the_cluster(
    platform, core, api_client, prober, policy_sync_s
):
    services = core.list_namespaced_service(platform.namespace).items
    assert services, f"no Services in {platform.namespace}"
    failures = {}
    for service in services:
        name, port = service.metadata.name, service.spec.ports[0].port
        for host in (name, f"{name}.{platform.namespace}.svc.cluster.local"):
            answered, seen = answers_within(api_client, prober, f"{host}:{port}/", name, timeout=policy_sync_s)
            if not answered:
                failures[f"{host}:{port}"] = seen
    assert not failures, f"Services that did not answer as themselves from {prober.metadata.name}: {failures}"


def test_every_declared_dependency_answers_from_the_pod_that_depends_on_it(
    platform, core, apps, api_client, policy_sync_s
):
    checked, failures = [], {}
    for deployment in apps.list_namespaced_deployment(platform.namespace).items:
        dependencies = [d for d in (deployment.metadata.annotations or {}).get(DEPENDS_ON, "").split(",") if d]
        if not dependencies:
            continue
        config = core.read_namespaced_config_map(f"{deployment.metadata.name}-config", platform.namespace).data
        caller = ready_pods_of(core, platform.namespace, deployment.metadata.name)[0]
        for dependency in dependencies:
            url = config.get(f"{dependency.upper().replace('-', '_')}_URL")
            answered, seen = (
                answers_within(api_client, caller, f"{url}/", dependency, timeout=policy_sync_s)
                if url
                else (False, "no URL in its ConfigMap")
            )
            checked.append(f"{deployment.metadata.name}->{dependency}")
            if not answered:
                failures[f"{deployment.metadata.name} -> {dependency} ({url})"] = seen
    assert checked, f"no Deployment in {platform.namespace} declares a dependency ({DEPENDS_ON})"
    assert not failures, f"dependencies that did not answer: {failures}"
