"""NetworkPolicies are enforced on kind (kube-router's firewall controller beside podnet, installed by the cluster
bootstrap), and the charts' policies let through what the platform needs and nothing else: each service reaches
the services it declares, by DNS name; a call to one it does not declare is refused; the monitoring namespace
scrapes every service's metrics while any other namespace is refused; the REST API answers through its NodePort.

A policy change reaches the nodes' rules at the controller's next sync (on every pod and policy event), so each
claim waits for its verdict with a deadline instead of reading it once."""
import urllib.request

import kubernetes
import pytest

from bootstrap.cluster import NETPOL_DAEMONSET
from bootstrap.waiting import wait_for
from stacks.delivery.addons import MONITORING_NAMESPACE

from .fixtures.factories import random_name, wait_for_pod
from .fixtures.podhttp import POLICY_SYNC_S, answers_as, answers_within, call_from, container_port
from .fixtures.pods import is_ready, ready_pods_of, standin_pod

pytestmark = pytest.mark.drills

DEPENDS_ON = "voiceplat.io/depends-on"  # the charts' annotation listing a service's dependencies


def declared(apps, namespace: str) -> dict[str, list[str]]:
    """Deployment -> the services it declares (its chart's `dependencies`)."""
    return {d.metadata.name: [x for x in (d.metadata.annotations or {}).get(DEPENDS_ON, "").split(",") if x]
            for d in apps.list_namespaced_deployment(namespace).items}


def refused(api_client, pod, target: str) -> tuple[bool, str]:
    status, report = call_from(api_client, pod, target)
    return status == 502 and not report.get("upstream_status"), f"{status} {report}"


@pytest.fixture
def stand_in_in(core):
    """stand_in_in(namespace): a Ready stand-in pod there (the namespace is created when missing, and then deleted
    afterwards); it calls out with its /call like a pod of that namespace would."""
    made, namespaces = [], []

    def make(namespace: str):
        try:
            core.read_namespace(namespace)
        except kubernetes.client.ApiException as error:
            if error.status != 404:
                raise
            core.create_namespace({"metadata": {"name": namespace}})
            namespaces.append(namespace)
        name = random_name("caller")
        core.create_namespaced_pod(namespace, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                                               "spec": standin_pod(name)})
        made.append((namespace, name))
        return wait_for_pod(core, namespace, name, is_ready, "Ready", timeout=60)

    yield make
    for namespace, name in made:
        core.delete_namespaced_pod(name, namespace, grace_period_seconds=0)
    for namespace in namespaces:
        core.delete_namespace(namespace, propagation_policy="Background")


def test_a_network_policy_controller_is_ready_on_every_node(cluster_api, core):
    nodes = len(core.list_node().items)
    cluster_api.wait_daemonset_ready("kube-system", NETPOL_DAEMONSET, timeout=60)
    daemonset = cluster_api.apps.read_namespaced_daemon_set(NETPOL_DAEMONSET, "kube-system")
    assert daemonset.status.number_ready == nodes, f"{daemonset.status.number_ready} of {nodes} nodes enforce"


def test_every_declared_dependency_answers_by_its_dns_name_under_the_callers_policy(platform, core, apps, api_client):
    pairs = [(caller, dependency) for caller, deps in declared(apps, platform.namespace).items() for dependency in deps]
    assert pairs, f"no Deployment in {platform.namespace} declares a dependency ({DEPENDS_ON})"
    failures = {}
    for caller, dependency in pairs:
        pod = ready_pods_of(core, platform.namespace, caller)[0]
        url = f"http://{dependency}.{platform.namespace}.svc.cluster.local:80/"
        try:
            wait_for(lambda: answers_as(api_client, pod, url, dependency), timeout=POLICY_SYNC_S, interval=2,
                     expected=f"{caller} reaching {dependency}")
        except AssertionError as error:
            failures[f"{caller} -> {dependency}"] = str(error)
    assert not failures, f"declared dependencies blocked (or DNS failing) under policy: {failures}"


def test_a_call_to_a_service_the_caller_does_not_declare_is_refused_though_an_unpoliced_pod_reaches_it(
        platform, core, apps, api_client, prober):
    graph = declared(apps, platform.namespace)
    caller = next(name for name, deps in sorted(graph.items()) if deps)
    target = next(name for name in sorted(graph) if name != caller and name not in graph[caller])
    url = f"http://{target}.{platform.namespace}.svc.cluster.local:80/"
    # The control: the target serves, so a refusal below is the caller's policy, not a missing service.
    answered, seen = answers_within(api_client, prober, url, target)
    assert answered, f"{target} does not answer the unpoliced prober: {seen}"
    pod = ready_pods_of(core, platform.namespace, caller)[0]
    wait_for(lambda: refused(api_client, pod, url), timeout=POLICY_SYNC_S, interval=2,
             expected=f"{caller} (declares {graph[caller]}) refused when calling {target}")


def open_to_all(networking, namespace: str) -> set[str]:
    """Services whose policy admits any source on a port (`networkPolicy.allowExternal`: the NodePort on kind)."""
    return {p.metadata.name for p in networking.list_namespaced_network_policy(namespace).items
            if any(rule._from is None for rule in p.spec.ingress or [])}


def test_the_monitoring_namespace_scrapes_every_services_metrics_and_another_namespace_is_refused(
        platform, core, api_client, stand_in_in, namespace):
    scraper, outsider = stand_in_in(MONITORING_NAMESPACE), stand_in_in(namespace)
    services = [s.metadata.name for s in core.list_namespaced_service(platform.namespace).items]
    external = open_to_all(kubernetes.client.NetworkingV1Api(api_client), platform.namespace)
    unscraped, admitted = {}, {}
    for service in services:
        pod = ready_pods_of(core, platform.namespace, service)[0]
        metrics = f"http://{pod.status.pod_ip}:{container_port(pod)}/metrics"
        try:
            wait_for(lambda: (call_from(api_client, scraper, metrics)[0] == 200, "not scraped"),
                     timeout=POLICY_SYNC_S, interval=2, expected=f"{service}'s metrics scraped from monitoring")
        except AssertionError as error:
            unscraped[service] = str(error)
        if service in external:
            continue  # meant to be reachable from anywhere (the claim on ingress traffic below)
        try:
            wait_for(lambda: refused(api_client, outsider, metrics), timeout=POLICY_SYNC_S, interval=2,
                     expected=f"{service} refusing namespace {namespace}")
        except AssertionError as error:
            admitted[service] = str(error)
    assert not unscraped, f"metrics the monitoring namespace cannot scrape: {unscraped}"
    assert not admitted, f"services that let a pod of an unrelated namespace in: {admitted}"
    assert len(external) < len(services), f"every service is open to all: {sorted(external)}"


def test_ingress_traffic_reaches_the_rest_api_through_its_node_port(platform):
    def answered():
        try:
            with urllib.request.urlopen(f"{platform.api_url}/", timeout=5) as response:
                return response.status == 200, f"HTTP {response.status}"
        except OSError as error:
            return False, f"{type(error).__name__}: {error}"

    wait_for(answered, timeout=POLICY_SYNC_S, interval=2,
             expected=f"{platform.api_service} answering at {platform.api_url} (its NodePort) under its policy")
