"""The project's one access layer to a cluster: the `kubernetes` client for one kubeconfig context, with the few
reads, waits and writes the bootstrap, the runner, the load tests and the e2e suite need. Every wait goes through
`waiting.wait_for` (a deadline, and a message saying what was expected and what was seen).

CLIs stay only where they are the interface or the natural tool: `helm upgrade --install`/`uninstall` of a chart,
`helm list`/`helm get manifest` (what the releases declare), `kind` for the cluster's lifecycle, and
`kubectl describe`/`logs` for the evidence files a person reads (describe is kubectl's own rendering).

This module imports `kubernetes` at module level, so only code that runs in the project's virtualenv may import it
(`make cluster`, `make up`/`down`, the e2e suite, the load tests). `python3 -m bootstrap tools|docker` run with the
system python, which has no `kubernetes`: nothing they import may import this
(tests/bootstrap/test_kube_access.py checks).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import kubernetes
import yaml
from kubernetes.dynamic import DynamicClient

from .errors import BootstrapError
from .waiting import wait_for

FIELD_MANAGER = "voiceplat"  # the server-side apply field manager of everything the project applies
DEFAULT_KUBECONFIG = "$KUBECONFIG or ~/.kube/config"


def current_context(kubeconfig: str | None = None) -> str:
    """The kubeconfig's current context, as `kubectl config current-context` names it."""
    try:
        _, active = kubernetes.config.list_kube_config_contexts(config_file=kubeconfig)
    except (kubernetes.config.ConfigException, OSError) as error:
        raise BootstrapError(
            "kubeconfig",
            f"no usable kubeconfig at {kubeconfig or DEFAULT_KUBECONFIG} ({error})",
            "point KUBECONFIG at the cluster's kubeconfig, or name a context explicitly",
        ) from error
    if not active:
        raise BootstrapError(
            "kubeconfig",
            f"{kubeconfig or DEFAULT_KUBECONFIG} has no current context",
            "name a context explicitly (e.g. KUBE_CONTEXT=kind-voiceplat-local)",
        )
    return active["name"]


class ClusterApi:
    """The API of the cluster behind one kubeconfig context (kubeconfig None: $KUBECONFIG or ~/.kube/config)."""

    def __init__(self, context: str, kubeconfig: str | None = None):
        self.context, self.kubeconfig = context, kubeconfig
        try:
            self.api_client = kubernetes.config.new_client_from_config(config_file=kubeconfig, context=context)
        except (kubernetes.config.ConfigException, OSError) as error:
            raise BootstrapError(
                "kubeconfig",
                f"cannot reach context {context} through {kubeconfig or DEFAULT_KUBECONFIG} ({error})",
                "start the cluster (`make cluster`) or point KUBECONFIG at the kubeconfig that has this context",
            ) from error
        self.core = kubernetes.client.CoreV1Api(self.api_client)
        self.apps = kubernetes.client.AppsV1Api(self.api_client)
        self.custom = kubernetes.client.CustomObjectsApi(self.api_client)
        self.registration = kubernetes.client.ApiregistrationV1Api(self.api_client)
        self._dynamic: DynamicClient | None = None

    # -- raw HTTP -------------------------------------------------------------------------------------------------

    def readyz(self, timeout: float = 10) -> tuple[bool, str]:
        """(whether the API server answers ready, what it said or why it did not answer)."""
        try:
            status, body = request(self.api_client, "GET", "/readyz", timeout=timeout)
        except Exception as error:  # noqa: BLE001 - unreachable, TLS, timeout: each is the answer
            return False, f"{type(error).__name__}: {error}"
        return status == 200, f"/readyz {status}: {body.strip()[-300:]}"

    # -- writes ---------------------------------------------------------------------------------------------------

    def apply(self, manifests: str | dict, *, step: str) -> list[str]:
        """Server-side apply of every document of a (multi-document) YAML manifest or of one object; idempotent.

        The client's server-side apply, not `kubectl apply`: the manifests are the project's own inputs, not an
        interface under test, and the API server merging them keeps one access layer (`utils.create_from_yaml`
        only creates, so a second `make cluster` would fail). Returns kind/name of each applied object."""
        documents = [manifests] if isinstance(manifests, dict) else [d for d in yaml.safe_load_all(manifests) if d]
        if self._dynamic is None:
            self._dynamic = DynamicClient(self.api_client)
        applied = []
        for document in documents:
            kind, name = document["kind"], document["metadata"]["name"]
            try:
                resource = self._dynamic.resources.get(api_version=document["apiVersion"], kind=kind)
                resource.server_side_apply(body=document, field_manager=FIELD_MANAGER, force_conflicts=True)
            except kubernetes.client.ApiException as error:
                raise BootstrapError(
                    step, f"the API server of {self.context} refused {kind}/{name}: {error.status} {api_message(error)}"
                ) from error
            applied.append(f"{kind}/{name}")
        return applied

    # -- reads ----------------------------------------------------------------------------------------------------

    def allocatable(self, resource: str, label_selector: str) -> dict[str, str]:
        """Node name -> allocatable amount of `resource` ("0" when none), for the nodes the selector picks."""
        return {
            n.metadata.name: (n.status.allocatable or {}).get(resource, "0")
            for n in self.core.list_node(label_selector=label_selector).items
        }

    def follow_log(self, pod: str, namespace: str) -> Iterator[str]:
        """The pod's log, line by line (each with its newline), until the container ends: `kubectl logs -f`."""
        stream = kubernetes.watch.Watch().stream(self.core.read_namespaced_pod_log, pod, namespace, follow=True)
        for line in stream:
            yield line + "\n"

    # -- waits ----------------------------------------------------------------------------------------------------

    def wait_nodes_ready(self, count: int, *, timeout: float) -> float:
        return wait_for(
            lambda: nodes_ready(self.core.list_node().items, count),
            timeout=timeout,
            interval=2,
            expected=f"{count} nodes Ready",
        )

    def wait_rolled_out(self, namespace: str, name: str, *, timeout: float) -> float:
        """`kubectl rollout status deployment/<name>`, declaratively."""
        return wait_for(
            lambda: rolled_out(self.apps.read_namespaced_deployment(name, namespace)),
            timeout=timeout,
            interval=2,
            expected=f"Deployment {namespace}/{name} rolled out, every replica available",
        )

    def wait_statefulset_ready(self, namespace: str, name: str, *, timeout: float) -> float:
        """`kubectl rollout status statefulset/<name>`, declaratively."""
        return wait_for(
            lambda: statefulset_ready(self.apps.read_namespaced_stateful_set(name, namespace)),
            timeout=timeout,
            interval=2,
            expected=f"StatefulSet {namespace}/{name} updated and ready",
        )

    def wait_daemonset_ready(self, namespace: str, name: str, *, timeout: float) -> float:
        """`kubectl rollout status daemonset/<name>`, declaratively."""
        return wait_for(
            lambda: daemonset_ready(self.apps.read_namespaced_daemon_set(name, namespace)),
            timeout=timeout,
            interval=2,
            expected=f"DaemonSet {namespace}/{name} on every node, updated and ready",
        )


def request(
    api_client: kubernetes.client.ApiClient,
    method: str,
    path: str,
    *,
    path_params: dict | None = None,
    query: dict | None = None,
    timeout: float = 10,
) -> tuple[int, str]:
    """`method` on an API path (/readyz, a pod's proxy, ...): (status, body); any status is returned, not raised."""
    serialized = api_client.param_serialize(
        method,
        path,
        path_params=path_params or {},
        query_params=list((query or {}).items()),
        header_params={},
        auth_settings=["BearerToken"],
    )
    response = api_client.call_api(*serialized, _request_timeout=timeout)
    return response.status, response.read().decode(errors="replace")


# -- conditions: (met, what was seen) from API objects, for wait_for ------------------------------------------------


def nodes_ready(nodes: list, count: int) -> tuple[bool, str]:
    states = {
        n.metadata.name: next((c.status for c in n.status.conditions or [] if c.type == "Ready"), "Unknown")
        for n in nodes
    }
    return len(states) == count and all(s == "True" for s in states.values()), f"Ready: {states}"


def rolled_out(deployment) -> tuple[bool, str]:
    """What `kubectl rollout status` checks: the controller saw the newest spec, and every replica is updated and
    available (none of an older template left)."""
    spec, status = deployment.spec, deployment.status
    wanted = spec.replicas if spec.replicas is not None else 1
    updated, available, total = status.updated_replicas or 0, status.available_replicas or 0, status.replicas or 0
    seen = f"{updated} updated, {available} available, {total} total of {wanted} wanted"
    if (status.observed_generation or 0) < (deployment.metadata.generation or 0):
        return False, f"generation {deployment.metadata.generation} not yet observed; {seen}"
    return updated == wanted and available == wanted and total == wanted, seen


def daemonset_ready(daemonset) -> tuple[bool, str]:
    status = daemonset.status
    wanted, updated, ready = (
        status.desired_number_scheduled or 0,
        status.updated_number_scheduled or 0,
        status.number_ready or 0,
    )
    seen = f"{ready} ready, {updated} updated of {wanted} scheduled"
    if (status.observed_generation or 0) < (daemonset.metadata.generation or 0):
        return False, f"generation {daemonset.metadata.generation} not yet observed; {seen}"
    return wanted > 0 and updated == wanted and ready == wanted, seen


def statefulset_ready(statefulset) -> tuple[bool, str]:
    spec, status = statefulset.spec, statefulset.status
    wanted = spec.replicas if spec.replicas is not None else 1
    updated, ready = status.updated_replicas or 0, status.ready_replicas or 0
    seen = f"{ready} ready, {updated} updated of {wanted}"
    if (status.observed_generation or 0) < (statefulset.metadata.generation or 0):
        return False, f"generation {statefulset.metadata.generation} not yet observed; {seen}"
    return updated == wanted and ready == wanted, seen


def api_service_available(service) -> tuple[bool, str]:
    conditions = [c for c in (service.status.conditions or []) if c.type == "Available"]
    if conditions and conditions[0].status == "True":
        return True, f"APIService {service.metadata.name} Available"
    seen = [(c.status, c.reason, c.message) for c in conditions]
    return False, f"APIService {service.metadata.name} Available: {seen or 'no condition yet'}"


def api_message(error: kubernetes.client.ApiException) -> str:
    """The API server's own message from an ApiException (its Status body), else its reason."""
    try:
        return json.loads(error.body)["message"]
    except (TypeError, ValueError, KeyError):
        return str(error.reason)
