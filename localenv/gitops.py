"""The developer's side of the local GitOps delivery (settings.DELIVERY=gitops): the working tree's
charts pushed to the in-cluster Git server (bootstrap/gitops.py), and the wait until ArgoCD runs that commit.

    push_working_tree(cluster) -> commit            # charts/ as on disk, on the branch the local env follows
    wait_synced(api, commit, count=, timeout=)       # every Application Synced to it (and Healthy)
"""

import os
import subprocess
import tempfile
from pathlib import Path

import kubernetes

import contract
from bootstrap.cluster import published_url
from bootstrap.kubeapi import ClusterApi
from bootstrap.waiting import wait_for
from contract import settings
from stacks.environments import ENVIRONMENTS

ROOT = Path(__file__).resolve().parents[1]
BRANCH = ENVIRONMENTS["local"].git.revision
ENVIRONMENT_LABEL = "voiceplat.io/environment"  # on every Application the local ApplicationSet generates
# The working tree's commit is a function of its content alone (no parent, fixed dates): pushing an unchanged tree
# again is no change for ArgoCD either.
FIXED_IDENTITY = {
    "GIT_AUTHOR_NAME": "voiceplat local delivery",
    "GIT_AUTHOR_EMAIL": "local@voiceplat.invalid",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
    "GIT_COMMITTER_NAME": "voiceplat local delivery",
    "GIT_COMMITTER_EMAIL": "local@voiceplat.invalid",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
}


class GitOpsError(RuntimeError):
    """The GitOps delivery could not run; the message says why and what to do."""


def repository_url(cluster: str) -> str:
    """The in-cluster repository from this host: the Git server's NodePort as the kind node publishes it."""
    return f"{published_url(cluster, contract.GIT_SERVER_NODEPORT)}/{contract.LOCAL_GIT_REPOSITORY_NAME}.git"


def git(*args: str, env: dict | None = None, cwd: Path = ROOT) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise GitOpsError(f"`git {' '.join(args)}` failed: {(done.stderr or done.stdout).strip()[-1500:]}")
    return done.stdout.strip()


def push_working_tree(cluster: str) -> str:
    """Commits charts/ as it is on disk (tracked files and new ones git does not ignore) through a temporary index,
    so the project's own index and branches stay untouched, and force-pushes it to BRANCH. Returns the commit."""
    if not (ROOT / ".git").exists():
        raise GitOpsError(
            f"{ROOT} is not a git checkout: the GitOps delivery pushes its charts with git. "
            "Fix: deliver from a clone of the repository, or unset "
            f"{settings.DELIVERY.name}"
        )
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, **FIXED_IDENTITY, "GIT_INDEX_FILE": f"{folder}/index"}
        git("add", "--all", "--", "charts", env=env)
        tree = git("write-tree", env=env)
        commit = git("commit-tree", tree, "-m", "charts/ of the working tree (localenv/gitops.py)", env=env)
        git("push", "--force", "--quiet", repository_url(cluster), f"{commit}:refs/heads/{BRANCH}", env=env)
    return commit


def applications(api: ClusterApi) -> list[dict]:
    return api.custom.list_namespaced_custom_object(
        "argoproj.io",
        "v1alpha1",
        contract.ARGOCD_NAMESPACE,
        "applications",
        label_selector=f"{ENVIRONMENT_LABEL}=local",
    )["items"]


def deployed_commit(api: ClusterApi) -> str:
    """The commit the local Applications run now, if they all run the same one ("" otherwise)."""
    revisions = {a.get("status", {}).get("sync", {}).get("revision") for a in applications(api)}
    return revisions.pop() if len(revisions) == 1 else ""


def application_state(application: dict) -> str:
    status = application.get("status", {})
    sync, health = status.get("sync", {}), status.get("health", {})
    errors = [
        f"{c['type']}: {c.get('message', '')[:300]}"
        for c in status.get("conditions", [])
        if c["type"].endswith("Error")
    ]
    return (
        f"{application['metadata']['name']} {sync.get('status', '?')} at {sync.get('revision', '?')[:12]}, "
        f"{health.get('status', '?')}" + (f" ({'; '.join(errors)})" if errors else "")
    )


def synced_to(application: dict, commit: str, *, healthy: bool = True) -> bool:
    """Synced to `commit` (and, with `healthy`, Healthy: ArgoCD counts an HPA still without metrics for a new pod
    as Degraded, which lasts minutes after a rollout on kind)."""
    status = application.get("status", {})
    return (
        status.get("sync", {}).get("revision") == commit
        and status.get("sync", {}).get("status") == "Synced"
        and (not healthy or status.get("health", {}).get("status") == "Healthy")
    )


def wait_synced(api: ClusterApi, commit: str, *, count: int, timeout: float, healthy: bool = True) -> float:
    """Waits until `count` Applications of the local environment are Synced to `commit` (and Healthy)."""

    def all_synced():
        found = applications(api)
        met = len(found) == count and all(synced_to(a, commit, healthy=healthy) for a in found)
        return met, "; ".join(application_state(a) for a in found) or "no Applications yet"

    return wait_for(
        all_synced,
        timeout=timeout,
        interval=2,
        expected=f"{count} Applications Synced to {commit[:12]}{' and Healthy' if healthy else ''}",
    )


def check_argocd(api: ClusterApi) -> None:
    """Fails with how to install it unless ArgoCD's ApplicationSet CRD is on the cluster."""
    extensions = kubernetes.client.ApiextensionsV1Api(api.api_client)
    try:
        extensions.read_custom_resource_definition("applicationsets.argoproj.io")
    except kubernetes.client.ApiException as error:
        if error.status != 404:
            raise
        raise GitOpsError(
            f"ArgoCD is not installed on {api.context}, so nothing would sync the charts. Fix: "
            f"`{settings.DELIVERY.name}=gitops make cluster` installs it (and the Git "
            "server) on the running cluster"
        ) from None
