"""Server-side dry run (`dryRun=All`, `fieldValidation=Strict`) of rendered objects against a real API server."""

import contextlib
import warnings

import kubernetes
import urllib3
from kubernetes.dynamic import DynamicClient
from kubernetes.dynamic.exceptions import ApiException, NotFoundError, ResourceNotFoundError

from bootstrap.waiting import WaitTimeout, wait_for

MANAGER = "upstream-check"


def client(kubeconfig) -> DynamicClient:
    warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)  # our own loopback server
    return DynamicClient(kubernetes.config.new_client_from_config(config_file=str(kubeconfig)))


def _reason(error: Exception) -> str:
    body = getattr(error, "body", None) or str(error)
    try:
        import json

        return json.loads(body).get("message", body)
    except (ValueError, TypeError, AttributeError):
        return str(body)[:600]


def _resource(dynamic: DynamicClient, obj: dict):
    """The API server's resource of the object's kind, or None when it has none (its CRD is not there)."""
    try:
        return dynamic.resources.get(api_version=obj["apiVersion"], kind=obj["kind"])
    except (ResourceNotFoundError, NotFoundError):
        return None


def served(dynamic: DynamicClient, obj: dict) -> bool:
    """Whether the API server knows the object's kind (its CRD is there)."""
    return _resource(dynamic, obj) is not None


def apply(dynamic: DynamicClient, obj: dict, namespace: str, *, dry_run: bool) -> str | None:
    """Server-side apply of one object (dry run or for real); None when accepted, else the server's reason."""
    resource = _resource(dynamic, obj)
    if resource is None:
        return f"the API server has no {obj['kind']} in {obj['apiVersion']} (a CRD no release of this stack installs)"
    if not getattr(resource, "urls", None):
        return f"{obj['kind']} in {obj['apiVersion']} names more than one resource of the API server"
    query = [("fieldValidation", "Strict")] + ([("dryRun", "All")] if dry_run else [])
    try:
        namespace = obj.get("metadata", {}).get("namespace") or namespace  # a chart may place objects elsewhere
        dynamic.server_side_apply(
            resource,
            body=obj,
            namespace=namespace if resource.namespaced else None,
            field_manager=MANAGER,
            force_conflicts=True,
            query_params=query,
        )
    except ApiException as error:
        return _reason(error)
    return None


def create_crds(dynamic: DynamicClient, crds: list[dict], timeout: float = 60) -> dict[str, str]:
    """Creates the CRDs for real and waits until each is established; returns name -> reason for the rejected."""
    rejected = {}
    for crd in crds:
        for _ in range(3):  # a loaded machine's API server may time out on large CRDs: that is not a finding
            reason = apply(dynamic, crd, "", dry_run=False)
            if not reason or "Timeout" not in reason:
                break
        if reason:
            rejected[crd["metadata"]["name"]] = reason
    api = dynamic.resources.get(api_version="apiextensions.k8s.io/v1", kind="CustomResourceDefinition")
    waiting = [crd["metadata"]["name"] for crd in crds if crd["metadata"]["name"] not in rejected]

    def established() -> tuple[bool, str]:
        waiting[:] = [
            name
            for name in waiting
            if not any(
                c["type"] == "Established" and c["status"] == "True"
                for c in (api.get(name=name).to_dict().get("status", {}).get("conditions") or [])
            )
        ]
        return not waiting, f"not established yet: {', '.join(waiting)}"

    # Not established in time is no finding of its own: the dry run of each object of such a CRD says its kind is
    # not served.
    with contextlib.suppress(WaitTimeout):
        wait_for(established, timeout=timeout, interval=0.5, expected="every CRD created established")
    return rejected


def ensure_namespace(dynamic: DynamicClient, name: str) -> None:
    apply(dynamic, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}, "", dry_run=False)


def server_api_versions(dynamic: DynamicClient) -> list[str]:
    """`group/version` of every API the server serves and `group/version/Kind` of each kind: what `helm install`
    finds in `.Capabilities.APIVersions` on that cluster (`helm template` alone knows only built-in defaults)."""
    found = set()
    for resource in dynamic.resources.search():
        if getattr(resource, "group_version", None) and getattr(resource, "kind", None):
            found |= {resource.group_version, f"{resource.group_version}/{resource.kind}"}
    return sorted(found)
