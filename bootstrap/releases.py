"""Online source: pinned upstream release binaries, checked against the checksums upstream publishes."""

import hashlib
import io
import os
import tarfile
import urllib.request
from pathlib import Path

from contract import pins

from .cache import versioned
from .errors import BootstrapError
from .progress import step

# tool -> (version, binary URL or tarball URL, checksum URL, member inside the tarball or "")
RELEASES = {
    "kind": (
        pins.KIND,
        f"https://kind.sigs.k8s.io/dl/{pins.KIND}/kind-linux-amd64",
        f"https://kind.sigs.k8s.io/dl/{pins.KIND}/kind-linux-amd64.sha256sum",
        "",
    ),
    "kubectl": (
        pins.UPSTREAM_KUBERNETES,
        f"https://dl.k8s.io/release/{pins.UPSTREAM_KUBERNETES}/bin/linux/amd64/kubectl",
        f"https://dl.k8s.io/release/{pins.UPSTREAM_KUBERNETES}/bin/linux/amd64/kubectl.sha256",
        "",
    ),
    "helm": (
        pins.HELM,
        f"https://get.helm.sh/helm-{pins.HELM}-linux-amd64.tar.gz",
        f"https://get.helm.sh/helm-{pins.HELM}-linux-amd64.tar.gz.sha256sum",
        "linux-amd64/helm",
    ),
    "kubeconform": (
        pins.KUBECONFORM,
        f"https://github.com/yannh/kubeconform/releases/download/{pins.KUBECONFORM}/kubeconform-linux-amd64.tar.gz",
        f"https://github.com/yannh/kubeconform/releases/download/{pins.KUBECONFORM}/CHECKSUMS",
        "kubeconform",
    ),
    "tofu": (
        pins.OPENTOFU,
        f"https://github.com/opentofu/opentofu/releases/download/{pins.OPENTOFU}/"
        f"tofu_{pins.OPENTOFU[1:]}_linux_amd64.tar.gz",
        f"https://github.com/opentofu/opentofu/releases/download/{pins.OPENTOFU}/tofu_{pins.OPENTOFU[1:]}_SHA256SUMS",
        "tofu",
    ),
}


def _get(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read()
    except OSError as error:
        raise BootstrapError(
            f"download {url}", str(error), "check the network, or force the offline build with VOICEPLAT_OFFLINE=1"
        ) from error


def fetch_release(tool: str) -> Path:
    version, url, checksum_url, member = RELEASES[tool]
    folder = versioned(f"{tool}-release", version)
    binary = folder / tool
    if binary.exists():
        return binary
    with step(f"downloading {tool} {version}"):
        payload = _get(url)
        digest = hashlib.sha256(payload).hexdigest()
        name = url.rsplit("/", 1)[1]
        sums = _get(checksum_url).decode()
        expected = [
            line.split()[0]
            for line in sums.splitlines()
            if line.strip() and (len(line.split()) == 1 or line.split()[-1].lstrip("*") == name)
        ]
        if digest not in expected:
            raise BootstrapError(f"download {tool}", f"sha256 {digest} of {url} does not match {checksum_url}")
        if member:
            with tarfile.open(fileobj=io.BytesIO(payload)) as archive:
                payload = archive.extractfile(member).read()
        folder.mkdir(parents=True, exist_ok=True)
        partial = binary.with_suffix(".partial")
        partial.write_bytes(payload)
        os.chmod(partial, 0o755)
        partial.rename(binary)
    return binary
