"""Distributed mode of `make loadtest`: charts/locust in the cluster of any kubeconfig context.

1. The locust image: on a kind context (`kind-<name>`) it is built here and loaded into the nodes its pods
   can land on (the chart tolerates no taint); elsewhere LOADTEST_IMAGE names one the cluster can pull.
2. A namespace that enforces the `restricted` Pod Security profile, and a release with a random name,
   so runs never collide and the apiserver checks the chart's security contexts.
3. The master's log is followed to the end; the reports it carries are unpacked into the report folder.
4. The release is uninstalled; on failure the pods' state and logs are saved first.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from pathlib import Path

from kubernetes.client import ApiException

import contract
from bootstrap.errors import BootstrapError
from bootstrap.kubeapi import ClusterApi, current_context
from bootstrap.progress import run as run_step
from bootstrap.waiting import WaitTimeout, wait_for
from contract.tools import tool
from loadtests import cluster_image, incluster, targets

REPO = Path(__file__).resolve().parent.parent
CHART = REPO / "charts" / "locust"
LOADTESTS = Path(__file__).resolve().parent


def mounted_files() -> dict[str, str]:
    """Every source and data file of loadtests/, path -> content, for the chart's ConfigMap."""
    paths = sorted(
        p for pattern in ("*.py", "*.toml") for p in LOADTESTS.rglob(pattern) if "__pycache__" not in p.parts
    )
    return {str(p.relative_to(REPO)): p.read_text() for p in paths}


def values(
    target: targets.TargetEnvironment, shape: Path, *, workers: int, image: str, extra: list[str], host: str | None
) -> dict:
    repository, tag = image.rsplit(":", 1)
    files = [str(p.relative_to(REPO)) for p in (*target.scenario_files(), shape)]
    return {
        "image": {"repository": repository, "tag": tag},
        "workers": workers,
        "run": {
            "locustfiles": files,
            "targetEnv": target.name,
            "extraArgs": [*(["--host", host] if host else []), *extra],
        },
        "files": mounted_files(),
        "credentialsSecret": os.environ.get("LOADTEST_CREDENTIALS_SECRET", ""),
    }


def platform_context(environment: str) -> str | None:
    """The kubeconfig context the platform's environment model names for an existing cluster (kind's)."""
    from stacks.environments import ENVIRONMENTS, ExistingCluster

    platform = ENVIRONMENTS.get(environment)
    return platform.cluster.kubeconfig_context if platform and isinstance(platform.cluster, ExistingCluster) else None


def prepare_image(api: ClusterApi, context: str) -> str:
    """The image the pods run: built and loaded into kind, or LOADTEST_IMAGE for other clusters."""
    if os.environ.get("LOADTEST_IMAGE"):
        return os.environ["LOADTEST_IMAGE"]
    if not context.startswith(contract.KIND_CONTEXT_PREFIX):
        raise SystemExit(
            f"context {context!r} is not a kind cluster: push the image of `python -m "
            "loadtests.cluster_image` to a registry the cluster pulls from and set LOADTEST_IMAGE to it"
        )
    image = runner_image()
    cluster = context.removeprefix(contract.KIND_CONTEXT_PREFIX)
    nodes = schedulable_nodes(api.core.list_node().items)
    if not nodes:
        raise SystemExit(
            f"no node of {context} takes the locust pods (every one is cordoned or tainted "
            "NoSchedule/NoExecute): uncordon a worker or untaint one"
        )
    # Only where the pods can run: a 345 MB image into each node is about 30 s of the machine's I/O and CPU.
    run_step(
        [tool("kind"), "load", "docker-image", image, "--name", cluster, "--nodes", ",".join(nodes)],
        step_name=f"kind load {image}",
        capture=True,
        fix="`docker images` should list it; `make cluster` starts the kind cluster",
    )
    return image


def schedulable_nodes(nodes: list) -> list[str]:
    """Names of the nodes a pod without tolerations can be scheduled onto."""

    def takes_pods(node) -> bool:
        taints = node.spec.taints or []
        return not node.spec.unschedulable and not any(t.effect in ("NoSchedule", "NoExecute") for t in taints)

    return [node.metadata.name for node in nodes if takes_pods(node)]


def runner_image() -> str:
    """The locust image of kind runs, built unless it exists (its tag names its Dockerfile and pins)."""
    return cluster_image.build(base=_offline_base())


def _offline_base() -> str:
    """The project's own Debian base when `make tools` built it (no registry needed), else Debian's image."""
    try:
        from bootstrap.toolchain import load_toolchain

        return load_toolchain().base_image
    except BootstrapError:
        return cluster_image.DEFAULT_BASE


def run(
    target: targets.TargetEnvironment,
    shape: Path,
    out: Path,
    *,
    workers: int,
    host: str | None,
    extra: list[str],
    kube_context: str | None,
    namespace: str,
) -> int:
    context = kube_context or platform_context(target.name) or current_context()
    api = ClusterApi(context)
    image = prepare_image(api, context)
    release = f"loadtest-{secrets.token_hex(3)}"
    api.apply(
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": namespace,
                "labels": {
                    "pod-security.kubernetes.io/enforce": "restricted",
                    "pod-security.kubernetes.io/enforce-version": "latest",
                },
            },
        },
        step="loadtest namespace",
    )
    values_file = out / "locust-values.json"  # JSON is YAML: helm reads it as a values file
    values_file.write_text(json.dumps(values(target, shape, workers=workers, image=image, extra=extra, host=host)))
    print(f"loadtest: release {release} in {context}/{namespace}: master + {workers} worker(s), image {image}")
    helm = tool("helm")
    try:  # helm installs and removes the chart: the natural tool for a release
        print(
            run_step(
                [
                    helm,
                    "--kube-context",
                    context,
                    "upgrade",
                    "--install",
                    release,
                    str(CHART),
                    "--namespace",
                    namespace,
                    "--values",
                    str(values_file),
                ],
                step_name=f"helm install {release}",
                capture=True,
                fix=f"the chart's values are in {values_file}",
            ),
            end="",
        )
        log = follow_master(api, namespace, release)
        (out / "master.log").write_text(incluster.without_bundle(log))
        return incluster.unpack(log, out)
    except (ValueError, BootstrapError, WaitTimeout, ApiException):
        save_evidence(context, namespace, release, out / "cluster-evidence.txt")
        raise
    finally:
        subprocess.run(
            [helm, "--kube-context", context, "uninstall", release, "--namespace", namespace], capture_output=True
        )


def follow_master(api: ClusterApi, namespace: str, release: str) -> str:
    """Echo the master's log until it ends (the bundle lines left out) and return all of it."""
    selector = f"app.kubernetes.io/name=locust-master,app.kubernetes.io/instance={release}"
    started = {}

    def pod_started() -> tuple[bool, str]:
        pods = api.core.list_namespaced_pod(namespace, label_selector=selector).items
        phases = {pod.metadata.name: pod.status.phase or "?" for pod in pods}
        running = [name for name, phase in phases.items() if phase in ("Running", "Succeeded", "Failed")]
        started["pod"] = running[0] if running else None
        return bool(running), f"master pod phases {phases or 'none'}"

    wait_for(pod_started, timeout=300, expected=f"the master pod of {release} running (image pulled, scheduled)")
    lines: list[str] = []
    in_bundle = False
    for line in api.follow_log(started["pod"], namespace):
        lines.append(line)
        in_bundle = (in_bundle or line.startswith(incluster.BEGIN)) and not line.startswith(incluster.END)
        if not in_bundle and not line.startswith(incluster.END):
            print(line, end="")
    return "".join(lines)


def save_evidence(context: str, namespace: str, release: str, path: Path) -> None:
    """Pods, events and logs of the release, for a run that did not finish. kubectl, not the client: the report is
    for a person, and `describe` and the prefixed multi-pod logs are kubectl's own renderings."""
    selector = f"app.kubernetes.io/instance={release}"
    sections = [
        ("pods", ["get", "pods", "-o", "wide", "-l", selector]),
        ("describe", ["describe", "pods", "-l", selector]),
        ("events", ["get", "events", "--sort-by=.lastTimestamp"]),
        ("logs", ["logs", "-l", selector, "--all-containers", "--prefix", "--tail", "200"]),
    ]
    with path.open("w") as report:
        for title, args in sections:
            result = subprocess.run(
                [tool("kubectl"), "--context", context, "--namespace", namespace, *args], capture_output=True, text=True
            )
            report.write(f"===== {title} =====\n{result.stdout}{result.stderr}\n")
    print(f"loadtest: the run did not finish; cluster evidence in {path}")
