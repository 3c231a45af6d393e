"""A throwaway Kubernetes API server for server-side dry runs: the project's own etcd and kube-apiserver
(built by `make tools`, contract/pins.py versions) on free local ports, with a static token and no controllers.
Objects are only dry-run; CRDs and namespaces are created for real so that what depends on them can be checked."""

import os
import shutil
import ssl
import subprocess
import tempfile
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from bootstrap.ports import free_ports
from bootstrap.waiting import wait_serving
from contract.tools import ToolMissing, tool

TOKEN = "upstream-check"


def binaries() -> tuple[Path, Path] | None:
    """kube-apiserver and etcd as `make tools` links them (built offline only), or None."""
    try:
        return Path(tool("kube-apiserver")), Path(tool("etcd"))
    except ToolMissing:
        return None


def _ready(url: str) -> tuple[bool, str]:
    """(whether /readyz answers 200, what it answered): a wait_for condition (not up yet raises, and is seen)."""
    context = ssl._create_unverified_context()  # a self-signed server of our own, on loopback
    request = urllib.request.Request(f"{url}/readyz", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, context=context, timeout=5) as response:
        return response.status == 200, f"/readyz answered {response.status}"


@contextmanager
def local_apiserver(timeout: float = 120):
    """Yields the path of a kubeconfig for a fresh API server; stops it and removes its data afterwards."""
    found = binaries()
    if not found:
        raise RuntimeError("kube-apiserver and etcd are not built: run `make tools`")
    apiserver, etcd = found
    work = Path(tempfile.mkdtemp(prefix="upstream-apiserver-"))
    processes = []
    try:
        client, peer, secure = free_ports(3)
        logs = [open(work / "etcd.log", "w"), open(work / "kube-apiserver.log", "w")]  # noqa: SIM115 - open for the servers' life
        processes.append(
            subprocess.Popen(
                [
                    str(etcd),
                    "--data-dir",
                    str(work / "etcd"),
                    "--listen-client-urls",
                    f"http://127.0.0.1:{client}",
                    "--advertise-client-urls",
                    f"http://127.0.0.1:{client}",
                    "--listen-peer-urls",
                    f"http://127.0.0.1:{peer}",
                    "--initial-advertise-peer-urls",
                    f"http://127.0.0.1:{peer}",
                    "--initial-cluster",
                    f"default=http://127.0.0.1:{peer}",
                    "--unsafe-no-fsync",
                ],
                stdout=logs[0],
                stderr=subprocess.STDOUT,
            )
        )
        key = work / "sa.key"
        subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
        (work / "tokens.csv").write_text(f'{TOKEN},admin,admin,"system:masters"\n')
        processes.append(
            subprocess.Popen(
                [
                    str(apiserver),
                    f"--etcd-servers=http://127.0.0.1:{client}",
                    "--bind-address=127.0.0.1",
                    f"--secure-port={secure}",
                    f"--cert-dir={work / 'certs'}",
                    f"--token-auth-file={work / 'tokens.csv'}",
                    "--authorization-mode=RBAC",
                    f"--service-account-key-file={key}",
                    f"--service-account-signing-key-file={key}",
                    "--service-account-issuer=https://kubernetes.default.svc",
                    "--service-cluster-ip-range=10.96.0.0/16",
                    "--allow-privileged=true",
                    "--disable-admission-plugins=ServiceAccount",
                ],
                stdout=logs[1],
                stderr=subprocess.STDOUT,
            )
        )
        url = f"https://127.0.0.1:{secure}"
        wait_serving(processes, lambda: _ready(url), timeout=timeout, expected=f"kube-apiserver at {url} ready")
        kubeconfig = work / "kubeconfig"
        kubeconfig.write_text(
            "apiVersion: v1\nkind: Config\n"
            f"clusters: [{{name: local, cluster: {{server: '{url}', insecure-skip-tls-verify: true}}}}]\n"
            f"users: [{{name: admin, user: {{token: {TOKEN}}}}}]\n"
            "contexts: [{name: local, context: {cluster: local, user: admin}}]\ncurrent-context: local\n"
        )
        os.chmod(kubeconfig, 0o600)
        yield kubeconfig
    finally:
        for process in reversed(processes):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)
