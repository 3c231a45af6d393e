"""NetworkPolicies are enforced on kind (kube-router's firewall controller beside podnet, installed by the cluster
bootstrap), and the charts' policies let through what the platform needs and nothing else: each service reaches
the services it declares, by DNS name; a call to one it does not declare is refused; the monitoring namespace
scrapes every service's metrics while any other namespace is refused; the REST API answers through its NodePort;
a client on the nodes' network (LiveKit's case) is admitted by its node's address, never by its namespace.

A policy change reaches the nodes' rules at the controller's next sync (on every pod and policy event), so each
claim waits for its verdict with a deadline instead of reading it once."""

import urllib.request

import kubernetes
import pytest

import contract
from bootstrap.cluster import NETPOL_DAEMONSET
from bootstrap.waiting import wait_for
from stacks.delivery.helm_addons import MONITORING_NAMESPACE

from .fixtures.factories import random_name, wait_for_pod
from .fixtures.podhttp import answers_as, answers_within, call_from, container_port
from .fixtures.pods import gpu_nodes, is_ready, ready_pods_of, standin_pod

pytestmark = pytest.mark.drills

DEPENDS_ON = "voiceplat.io/depends-on"  # the charts' annotation listing a service's dependencies


def declared(apps, namespace: str) -> dict[str, list[str]]:
    """Deployment -> the services it declares (its chart's `dependencies`)."""
    return {
        d.metadata.name: [x for x in (d.metadata.annotations or {}).get(DEPENDS_ON, "").split(",") if x]
        for d in apps.list_namespaced_deployment(namespace).items
    }


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
        core.create_namespaced_pod(
            namespace, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": standin_pod(name)}
        )
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


def test_every_declared_dependency_answers_by_its_dns_name_under_the_callers_policy(
    platform, core, apps, api_client, policy_sync_s
):
    pairs = [(caller, dependency) for caller, deps in declared(apps, platform.namespace).items() for dependency in deps]
    assert pairs, f"no Deployment in {platform.namespace} declares a dependency ({DEPENDS_ON})"
    failures = {}
    for caller, dependency in pairs:
        pod = ready_pods_of(core, platform.namespace, caller)[0]
        url = f"http://{dependency}.{platform.namespace}.svc.cluster.local:80/"
        try:
            wait_for(
                lambda: answers_as(api_client, pod, url, dependency),
                timeout=policy_sync_s,
                interval=2,
                expected=f"{caller} reaching {dependency}",
            )
        except AssertionError as error:
            failures[f"{caller} -> {dependency}"] = str(error)
    assert not failures, f"declared dependencies blocked (or DNS failing) under policy: {failures}"


def test_a_call_to_a_service_the_caller_does_not_declare_is_refused_though_an_unpoliced_pod_reaches_it(
    platform, core, apps, api_client, prober, policy_sync_s
):
    graph = declared(apps, platform.namespace)
    caller = next(name for name, deps in sorted(graph.items()) if deps)
    target = next(name for name in sorted(graph) if name != caller and name not in graph[caller])
    url = f"http://{target}.{platform.namespace}.svc.cluster.local:80/"
    # The control: the target serves, so a refusal below is the caller's policy, not a missing service.
    answered, seen = answers_within(api_client, prober, url, target, timeout=policy_sync_s)
    assert answered, f"{target} does not answer the unpoliced prober: {seen}"
    pod = ready_pods_of(core, platform.namespace, caller)[0]
    wait_for(
        lambda: refused(api_client, pod, url),
        timeout=policy_sync_s,
        interval=2,
        expected=f"{caller} (declares {graph[caller]}) refused when calling {target}",
    )


def open_to_all(networking, namespace: str) -> set[str]:
    """Services whose policy admits any source on a port (`networkPolicy.allowExternal`: the NodePort on kind)."""
    return {
        p.metadata.name
        for p in networking.list_namespaced_network_policy(namespace).items
        if any(rule._from is None for rule in p.spec.ingress or [])
    }


def test_the_monitoring_namespace_scrapes_every_services_metrics_and_another_namespace_is_refused(
    platform, core, api_client, stand_in_in, namespace, policy_sync_s
):
    scraper, outsider = stand_in_in(MONITORING_NAMESPACE), stand_in_in(namespace)
    services = [s.metadata.name for s in core.list_namespaced_service(platform.namespace).items]
    external = open_to_all(kubernetes.client.NetworkingV1Api(api_client), platform.namespace)
    unscraped, admitted = {}, {}
    for service in services:
        pod = ready_pods_of(core, platform.namespace, service)[0]
        metrics = f"http://{pod.status.pod_ip}:{container_port(pod)}/metrics"
        try:
            wait_for(
                lambda: (call_from(api_client, scraper, metrics)[0] == 200, "not scraped"),
                timeout=policy_sync_s,
                interval=2,
                expected=f"{service}'s metrics scraped from monitoring",
            )
        except AssertionError as error:
            unscraped[service] = str(error)
        if service in external:
            continue  # meant to be reachable from anywhere (the claim on ingress traffic below)
        try:
            wait_for(
                lambda: refused(api_client, outsider, metrics),
                timeout=policy_sync_s,
                interval=2,
                expected=f"{service} refusing namespace {namespace}",
            )
        except AssertionError as error:
            admitted[service] = str(error)
    assert not unscraped, f"metrics the monitoring namespace cannot scrape: {unscraped}"
    assert not admitted, f"services that let a pod of an unrelated namespace in: {admitted}"
    assert len(external) < len(services), f"every service is open to all: {sorted(external)}"


def test_ingress_traffic_reaches_the_rest_api_through_its_node_port(platform, policy_sync_s):
    def answered():
        try:
            with urllib.request.urlopen(f"{platform.api_url}/", timeout=5) as response:
                return response.status == 200, f"HTTP {response.status}"
        except OSError as error:
            return False, f"{type(error).__name__}: {error}"

    wait_for(
        answered,
        timeout=policy_sync_s,
        interval=2,
        expected=f"{platform.api_service} answering at {platform.api_url} (its NodePort) under its policy",
    )


HOST_NETWORK_PORT = 18080  # the host-network client's own port on its node (the stand-in's PORT)


def node_address(core, node: str) -> str:
    return next(a.address for a in core.read_node(node).status.addresses if a.type == "InternalIP")


def test_a_host_network_client_from_another_node_is_admitted_by_its_nodes_address_not_its_namespace(
    core, api_client, namespace, policy_sync_s
):
    """LiveKit's case (stacks/delivery/livekit_redis.py): it runs on the nodes' network, in the namespace of the
    Redis it calls, whose policy admits that namespace. From another node its packets carry the node's address,
    which no namespace rule matches; an ipBlock of the node's address admits them."""
    general = sorted(n.metadata.name for n in core.list_node(label_selector=contract.POOL_LABEL + "=general").items)
    target_node, client_node = sorted(gpu_nodes(core))[0], general[0]
    networking = kubernetes.client.NetworkingV1Api(api_client)
    target, client = random_name("target"), random_name("hostnet")
    core.create_namespaced_pod(
        namespace,
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": target, "labels": {"app": target}},
            "spec": standin_pod("target", nodeName=target_node),
        },
    )
    core.create_namespaced_pod(
        namespace,
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": client},
            "spec": standin_pod(
                client,
                nodeName=client_node,
                hostNetwork=True,
                container={
                    "env": [
                        {"name": "SERVICE_NAME", "value": client},
                        {"name": "PORT", "value": str(HOST_NETWORK_PORT)},
                    ],
                    "ports": [{"name": "http", "containerPort": HOST_NETWORK_PORT}],
                },
            ),
        },
    )
    namespace_rule = {
        "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}}],
        "ports": [{"port": 8080, "protocol": "TCP"}],
    }
    networking.create_namespaced_network_policy(
        namespace,
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": target},
            "spec": {
                "podSelector": {"matchLabels": {"app": target}},
                "policyTypes": ["Ingress"],
                "ingress": [namespace_rule],
            },
        },
    )
    target_pod = wait_for_pod(core, namespace, target, is_ready, "Ready", timeout=60)
    client_pod = wait_for_pod(core, namespace, client, is_ready, "Ready", timeout=60)
    url = f"http://{target_pod.status.pod_ip}:8080/"
    wait_for(
        lambda: refused(api_client, client_pod, url),
        timeout=policy_sync_s,
        interval=2,
        expected=f"the host-network client on {client_node} refused by a rule admitting its namespace",
    )
    node_rule = {
        "from": [{"ipBlock": {"cidr": f"{node_address(core, client_node)}/32"}}],
        "ports": namespace_rule["ports"],
    }
    networking.patch_namespaced_network_policy(target, namespace, {"spec": {"ingress": [namespace_rule, node_rule]}})
    answered, seen = answers_within(api_client, client_pod, url, "target", timeout=policy_sync_s)
    assert answered, f"the host-network client is still refused with its node's address admitted: {seen}"
