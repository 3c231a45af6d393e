"""Distributed mode of `make loadtest`: charts/locust in the cluster of any kubeconfig context.

1. The locust image: on a kind context (`kind-<name>`) it is built here and loaded into the nodes;
   elsewhere LOADTEST_IMAGE names one the cluster can pull.
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

from bootstrap.errors import BootstrapError
from bootstrap.kube import Kube
from bootstrap.waiting import wait_for
from loadtests import cluster_image, incluster, targets

REPO = Path(__file__).resolve().parent.parent
CHART = REPO / "charts" / "locust"
LOADTESTS = Path(__file__).resolve().parent


def mounted_files() -> dict[str, str]:
    """Every source and data file of loadtests/, path -> content, for the chart's ConfigMap."""
    paths = sorted(p for pattern in ("*.py", "*.toml") for p in LOADTESTS.rglob(pattern) if "__pycache__" not in p.parts)
    return {str(p.relative_to(REPO)): p.read_text() for p in paths}


def values(target: targets.TargetEnvironment, shape: Path, *, workers: int, image: str, extra: list[str],
           host: str | None) -> dict:
    repository, tag = image.rsplit(":", 1)
    files = [str(p.relative_to(REPO)) for p in (*target.scenario_files(), shape)]
    return {
        "image": {"repository": repository, "tag": tag},
        "workers": workers,
        "run": {"locustfiles": files, "targetEnv": target.name,
                "extraArgs": [*(["--host", host] if host else []), *extra]},
        "files": mounted_files(),
        "credentialsSecret": os.environ.get("LOADTEST_CREDENTIALS_SECRET", ""),
    }


def platform_context(environment: str) -> str | None:
    """The kubeconfig context the platform's environment model names for an existing cluster (kind's)."""
    from stacks.environments import ENVIRONMENTS, ExistingCluster

    platform = ENVIRONMENTS.get(environment)
    return platform.cluster.kubeconfig_context if platform and isinstance(platform.cluster, ExistingCluster) else None


def prepare_image(context: str) -> str:
    """The image the pods run: built and loaded into kind, or LOADTEST_IMAGE for other clusters."""
    if os.environ.get("LOADTEST_IMAGE"):
        return os.environ["LOADTEST_IMAGE"]
    if not context.startswith("kind-"):
        raise SystemExit(f"context {context!r} is not a kind cluster: push the image of `python -m "
                         "loadtests.cluster_image` to a registry the cluster pulls from and set LOADTEST_IMAGE to it")
    image = cluster_image.build(base=_offline_base())
    subprocess.run(["kind", "load", "docker-image", image, "--name", context.removeprefix("kind-")], check=True)
    return image


def _offline_base() -> str:
    """The project's own Debian base when `make tools` built it (no registry needed), else Debian's image."""
    try:
        from bootstrap.toolchain import load_toolchain

        return load_toolchain().base_image
    except BootstrapError:
        return cluster_image.DEFAULT_BASE


def run(target: targets.TargetEnvironment, shape: Path, out: Path, *, workers: int, host: str | None,
        extra: list[str], kube_context: str | None, namespace: str) -> int:
    context = kube_context or platform_context(target.name) or subprocess.run(
        ["kubectl", "config", "current-context"], capture_output=True, text=True, check=True).stdout.strip()
    kube = Kube("kubectl", "helm", context)
    image = prepare_image(context)
    release = f"loadtest-{secrets.token_hex(3)}"
    kube.apply(json.dumps({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace, "labels": {
        "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest"}}}),
        step="loadtest namespace")
    values_file = out / "locust-values.json"  # JSON is YAML: helm reads it as a values file
    values_file.write_text(json.dumps(values(target, shape, workers=workers, image=image, extra=extra, host=host)))
    print(f"loadtest: release {release} in {context}/{namespace}: master + {workers} worker(s), image {image}")
    try:
        subprocess.run(["helm", "--kube-context", context, "upgrade", "--install", release, str(CHART),
                        "--namespace", namespace, "--values", str(values_file)], check=True)
        log = follow_master(kube, namespace, release)
        (out / "master.log").write_text(incluster.without_bundle(log))
        return incluster.unpack(log, out)
    except (ValueError, subprocess.CalledProcessError):
        save_evidence(kube, namespace, release, out / "cluster-evidence.txt")
        raise
    finally:
        subprocess.run(["helm", "--kube-context", context, "uninstall", release, "--namespace", namespace],
                       capture_output=True)


def follow_master(kube: Kube, namespace: str, release: str) -> str:
    """Echo the master's log until it ends (the bundle lines left out) and return all of it."""
    job = f"job/{release}-master"
    wait_for(lambda: _pod_started(kube, namespace, release), timeout=300,
             expected=f"the master pod of {release} running (image pulled, scheduled)")
    lines: list[str] = []
    with subprocess.Popen([kube.kubectl, "--context", kube.context, "--namespace", namespace, "logs", "--follow", job],
                          stdout=subprocess.PIPE, text=True) as logs:
        in_bundle = False
        for line in logs.stdout:
            lines.append(line)
            in_bundle = (in_bundle or line.startswith(incluster.BEGIN)) and not line.startswith(incluster.END)
            if not in_bundle and not line.startswith(incluster.END):
                print(line, end="")
    return "".join(lines)


def _pod_started(kube: Kube, namespace: str, release: str) -> tuple[bool, str]:
    pods = kube.json("get", "pods", "--namespace", namespace, "-l",
                     f"app.kubernetes.io/name=locust-master,app.kubernetes.io/instance={release}")["items"]
    phases = [pod["status"].get("phase", "?") for pod in pods]
    return any(phase in ("Running", "Succeeded", "Failed") for phase in phases), f"master pod phases {phases or 'none'}"


def save_evidence(kube: Kube, namespace: str, release: str, path: Path) -> None:
    """Pods, events and logs of the release, for a run that did not finish."""
    selector = f"app.kubernetes.io/instance={release}"
    sections = [("pods", ["get", "pods", "-o", "wide", "-l", selector]),
                ("describe", ["describe", "pods", "-l", selector]),
                ("events", ["get", "events", "--sort-by=.lastTimestamp"]),
                ("logs", ["logs", "-l", selector, "--all-containers", "--prefix", "--tail", "200"])]
    with path.open("w") as report:
        for title, args in sections:
            result = subprocess.run([kube.kubectl, "--context", kube.context, "--namespace", namespace, *args],
                                    capture_output=True, text=True)
            report.write(f"===== {title} =====\n{result.stdout}{result.stderr}\n")
    print(f"loadtest: the run did not finish; cluster evidence in {path}")
