"""Temporal on kind, delivered by the local stack as the platform is (stacks/delivery/local_temporal.py): the server
and its PostgreSQL are Ready with their state on a claimed volume, Prometheus scrapes both, their NetworkPolicies
refuse a pod they do not declare, the `default` namespace is registered, and a workflow the REST API starts
through its Ingress completes on the Go worker and on the Python worker, whose pod the history names."""

import pytest

from bootstrap.waiting import wait_for

from .fixtures.factories import random_name, wait_for_pod
from .fixtures.monitoring import READY_WITHIN_S
from .fixtures.podhttp import call_from
from .fixtures.pods import is_ready, ready_pods_of, standin_pod
from .fixtures.temporal import NAMESPACE, TEMPORAL_NAMESPACE, enum_is, result_json, start_workflow

pytestmark = pytest.mark.temporal

WORKERS = {"platform-go": "temporal-worker-go", "platform-python": "temporal-worker-python"}


def test_temporal_and_postgresql_are_ready_with_postgresqls_state_on_a_claimed_volume(cluster_api, core, temporal):
    cluster_api.wait_statefulset_ready(NAMESPACE, "temporal-postgresql", timeout=READY_WITHIN_S)
    cluster_api.wait_rolled_out(NAMESPACE, "temporal-server", timeout=READY_WITHIN_S)
    pod = core.read_namespaced_pod("temporal-postgresql-0", NAMESPACE)
    data = next(v for v in pod.spec.volumes if v.name == "data")
    assert data.persistent_volume_claim, f"PostgreSQL's data volume is not a claim: {data}"
    claim = core.read_namespaced_persistent_volume_claim(data.persistent_volume_claim.claim_name, NAMESPACE)
    assert claim.status.phase == "Bound", f"{claim.metadata.name}: {claim.status.phase}"


def test_prometheus_scrapes_temporal_and_postgresql_and_both_targets_are_up(monitoring):
    def both_up():
        up = {
            sample["metric"].get("job", ""): sample["value"][1]
            for sample in monitoring.query(f'up{{namespace="{NAMESPACE}"}}')
        }
        frontend = any(job.startswith("temporal-frontend") and value == "1" for job, value in up.items())
        postgresql = any("postgresql" in job and value == "1" for job, value in up.items())
        return frontend and postgresql, f"up by job: {up}"

    wait_for(both_up, timeout=READY_WITHIN_S, interval=3, expected="Temporal's and PostgreSQL's targets up")
    assert monitoring.query(f'pg_up{{namespace="{NAMESPACE}"}} == 1'), "the exporter does not reach PostgreSQL"


def test_the_default_namespace_is_registered(temporal):
    status, body = temporal.api(f"namespaces/{TEMPORAL_NAMESPACE}")
    assert status == 200, f"namespace {TEMPORAL_NAMESPACE}: HTTP {status}: {body}"
    assert body["namespaceInfo"]["name"] == TEMPORAL_NAMESPACE
    assert enum_is(body["namespaceInfo"]["state"], "NAMESPACE_STATE_", "REGISTERED"), body["namespaceInfo"]


@pytest.fixture
def outsider(core, namespace):
    """A Ready stand-in pod in a namespace of its own, which no Temporal policy declares."""
    name = random_name("outsider")
    core.create_namespaced_pod(
        namespace, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": standin_pod(name)}
    )
    return wait_for_pod(core, namespace, name, is_ready, "Ready", timeout=60)


def test_the_frontend_admits_the_platforms_pods_and_refuses_a_pod_its_policy_does_not_declare(
    platform, core, api_client, outsider, policy_sync_s
):
    url = f"http://temporal-frontend.{NAMESPACE}.svc.cluster.local:7243/api/v1/namespaces"
    client = ready_pods_of(core, platform.namespace, "rest-api")[0]

    def admitted():
        status, report = call_from(api_client, client, url)
        return status == 200, f"{status} {report}"

    def refused():
        status, report = call_from(api_client, outsider, url)
        return status == 502 and not report.get("upstream_status"), f"{status} {report}"

    wait_for(admitted, timeout=policy_sync_s, interval=2, expected=f"rest-api ({platform.namespace}) admitted")
    wait_for(refused, timeout=policy_sync_s, interval=2, expected=f"{outsider.metadata.namespace} refused")


def test_postgresql_refuses_a_pod_its_policy_does_not_declare(api_client, outsider, policy_sync_s):
    """Admitted, PostgreSQL would answer the HTTP request by closing the connection (EOF, malformed response);
    refused, the connection never opens."""
    url = f"http://temporal-postgresql.{NAMESPACE}.svc.cluster.local:5432/"

    def refused():
        status, report = call_from(api_client, outsider, url)
        error = report.get("error", "")
        opened = report.get("upstream_status") or "EOF" in error or "malformed" in error
        return status == 502 and not opened and bool(error), f"{status} {report}"

    wait_for(refused, timeout=policy_sync_s, interval=2, expected="PostgreSQL refusing an undeclared pod")


@pytest.mark.parametrize("task_queue", sorted(WORKERS))
def test_a_workflow_started_through_the_rest_apis_ingress_completes_on_the_worker_whose_pod_its_history_names(
    platform, core, temporal, ingress_url, api_ingress_host, task_queue
):
    started = start_workflow(ingress_url, api_ingress_host, task_queue)
    temporal.wait_completed(started["workflow_id"])
    events = temporal.history(started["workflow_id"])
    identities = [
        e["activityTaskStartedEventAttributes"]["identity"]
        for e in events
        if enum_is(e["eventType"], "EVENT_TYPE_", "ACTIVITY_TASK_STARTED")
    ]
    worker = WORKERS[task_queue]
    pods = {
        pod.metadata.name
        for pod in core.list_namespaced_pod(platform.namespace, label_selector=f"app.kubernetes.io/name={worker}").items
    }
    assert identities and set(identities) <= pods, f"activity run by {identities}; pods of {worker}: {sorted(pods)}"
    completed = next(e for e in events if enum_is(e["eventType"], "EVENT_TYPE_", "WORKFLOW_EXECUTION_COMPLETED"))
    result = result_json(completed["workflowExecutionCompletedEventAttributes"]["result"])
    assert result["worker"] == identities[-1] and result["service"] == worker, result
