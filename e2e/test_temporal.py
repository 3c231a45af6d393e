"""Temporal on kind, delivered by the local stack as the platform is (stacks/delivery/local_temporal.py): the server
and its PostgreSQL are Ready with their state on a claimed volume, Prometheus scrapes both, their NetworkPolicies
refuse a pod they do not declare, the `default` namespace is registered, and a workflow the REST API starts
through its Ingress completes on the Go worker and on the Python worker, whose pod the history names, and the
smoke's users, each waiting on a workflow's result through the API, see every one complete (its latency a figure)."""

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from bootstrap.waiting import wait_for

from .fixtures.factories import random_name, wait_for_pod
from .fixtures.monitoring import READY_WITHIN_S, epoch
from .fixtures.podhttp import call_from
from .fixtures.pods import is_ready, ready_pods_of, standin_pod
from .fixtures.temporal import (
    COMPLETES_WITHIN_S,
    NAMESPACE,
    TEMPORAL_NAMESPACE,
    enum_is,
    result_json,
    start_workflow,
)

pytestmark = pytest.mark.temporal

WORKERS = {"platform-go": "temporal-worker-go", "platform-python": "temporal-worker-python"}
# Workflow latency as a client of the API sees it, under the load-test smoke's users (loadtests/shapes/smoke.py):
# each user starts a workflow and waits for its result, a few times over. The seconds are figures (`make bench`):
# on two shared cores they follow whatever else the machine runs (p95 1.8 s beside one other cluster, 11 s beside a
# scale-out), so the claim is that every workflow completes.
USERS, WORKFLOWS_PER_USER = 10, 3


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


# An activity outlasting the worker pod's preStop sleep, so SIGTERM reaches the worker while it runs, and shorter
# than that sleep plus the worker's SHUTDOWN_TIMEOUT, the time it then gives the activities in hand (env-local: 5 s
# and 6 s). A worker that dropped them would leave each to its 30 s start-to-close timeout and a second attempt.
IN_HAND_WAIT_MS = 10_000
IN_HAND = 2  # activities the deleted pod holds: the Go worker's two slots


def pre_stop_s(pod) -> float:
    hook = pod.spec.containers[0].lifecycle and pod.spec.containers[0].lifecycle.pre_stop
    return float(hook.sleep.seconds) if hook and hook.sleep else 0.0


@pytest.mark.parametrize("task_queue", sorted(WORKERS))
def test_a_worker_pod_deleted_with_activities_in_hand_completes_them_on_their_first_attempt(
    platform, cluster_api, core, temporal, ingress_url, api_ingress_host, task_queue
):
    """A scale-down or a rollout deletes a worker pod: after SIGTERM it polls no more but completes and reports
    what it runs, so no activity waits out its timeout to run again on another pod. The claim ends with the
    worker's replacement Ready, as it found it."""
    ids = start_workflow(ingress_url, api_ingress_host, task_queue, work_ms=0, wait_ms=IN_HAND_WAIT_MS, count=IN_HAND)[
        "workflow_ids"
    ]
    holders: set[str] = set()

    def in_hand():
        pending = [(temporal.workflow(i).get("pendingActivities") or [{}])[0] for i in ids]
        started = [a for a in pending if enum_is(a.get("state", ""), "PENDING_ACTIVITY_STATE_", "STARTED")]
        holders.update(a["lastWorkerIdentity"] for a in started)
        return len(started) == len(ids), f"pending activities: {pending}"

    wait_for(in_hand, timeout=COMPLETES_WITHIN_S, interval=0.5, expected=f"{IN_HAND} activities started")
    pods = [core.read_namespaced_pod(name, platform.namespace) for name in sorted(holders)]
    deleted_at = time.time()
    for pod in pods:
        core.delete_namespaced_pod(pod.metadata.name, platform.namespace)
    sigterm_at = deleted_at + max(pre_stop_s(pod) for pod in pods)
    for workflow_id in ids:
        temporal.wait_completed(workflow_id)
        events = temporal.history(workflow_id)
        started = [e for e in events if enum_is(e["eventType"], "EVENT_TYPE_", "ACTIVITY_TASK_STARTED")]
        completed = next(e for e in events if enum_is(e["eventType"], "EVENT_TYPE_", "ACTIVITY_TASK_COMPLETED"))
        attributes = started[-1]["activityTaskStartedEventAttributes"]
        assert len(started) == 1 and int(attributes.get("attempt", 1)) == 1 and attributes["identity"] in holders, (
            f"{workflow_id}: activity attempts {[e['activityTaskStartedEventAttributes'] for e in started]}; "
            f"the deleted pods: {sorted(holders)}"
        )
        assert epoch(completed["eventTime"]) > sigterm_at, (
            f"{workflow_id}: the activity completed before SIGTERM reached its worker (deleted at {deleted_at:.1f}, "
            f"SIGTERM {sigterm_at:.1f}, completed {completed['eventTime']}): the claim did not test a shutdown"
        )
    cluster_api.wait_rolled_out(platform.namespace, WORKERS[task_queue], timeout=READY_WITHIN_S)


def p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20, method="inclusive")[18]


@dataclass(frozen=True)
class Waited:
    """One user's wait on a workflow through the API: the HTTP status, its seconds, and the workflow's id (the
    stand-in names it in its answer, a timeout included)."""

    status: int
    seconds: float
    workflow_id: str | None
    body: str


@pytest.fixture(scope="module")
def waited_workflows(platform, ingress_url, api_ingress_host, phase_timings) -> list[Waited]:
    def one(_) -> Waited:
        started = time.monotonic()
        response = requests.post(
            f"{ingress_url}/workflows",
            params={"task_queue": "platform-go", "work_ms": 10, "result": "true"},
            headers={"Host": api_ingress_host},
            timeout=90,
        )
        try:
            workflow_id = response.json().get("workflow_id")
        except ValueError:
            workflow_id = None
        return Waited(response.status_code, time.monotonic() - started, workflow_id, response.text[:300])

    with ThreadPoolExecutor(USERS) as users:
        runs = list(users.map(one, range(USERS * WORKFLOWS_PER_USER)))
    seconds = [run.seconds for run in runs if run.status == 200]
    if len(seconds) > 1:
        phase_timings.figure(
            "workflow_latency",
            {
                "workflows": len(runs),
                "answered_with_result": len(seconds),
                "users": USERS,
                "p50_s": round(statistics.median(seconds), 3),
                "p95_s": round(p95(seconds), 3),
            },
        )
    return runs


def test_every_workflow_a_user_of_the_api_waits_for_completes(waited_workflows, temporal):
    """A wait the API gave up on (504, the workflow's id in its answer) still ends in a completed workflow."""
    unnamed = [run for run in waited_workflows if run.status != 200 and not run.workflow_id]
    assert not unnamed, f"{len(unnamed)} of {len(waited_workflows)} failed without a workflow: {unnamed[:3]}"
    for run in waited_workflows:
        if run.status != 200:
            temporal.wait_completed(run.workflow_id)
