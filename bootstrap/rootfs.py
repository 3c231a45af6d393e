"""Debian root filesystems made with debootstrap and imported as local images (no registry involved)."""

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .apt import ensure_command
from .cache import cache_dir
from .errors import BootstrapError
from .progress import run, step

SUITE = "bookworm"


@dataclass(frozen=True)
class Rootfs:
    name: str
    packages: tuple[str, ...]

    @property
    def digest(self) -> str:
        return hashlib.sha256(f"{SUITE} {' '.join(sorted(self.packages))}".encode()).hexdigest()[:12]

    @property
    def image(self) -> str:
        return f"voiceplat/{self.name}:{SUITE}-{self.digest}"


# What every image of the project's own that is not FROM scratch starts from: iptables for kube-proxy and the CNI.
BASE = Rootfs("debian-base", ("ca-certificates", "iptables", "nftables", "conntrack", "iproute2", "procps", "kmod"))

# The NetworkPolicy controller's image (kube-router's firewall): ipset beside the base's iptables.
NETPOL = Rootfs("netpol-base", BASE.packages + ("ipset",))

# The kind node: what kind's own base image installs, with Debian's containerd, runc and CNI plugins.
NODE = Rootfs(
    "kind-node-base",
    BASE.packages
    + (
        "systemd",
        "systemd-sysv",
        "dbus",
        "containerd",
        "runc",
        "containernetworking-plugins",
        "ethtool",
        "util-linux",
        "mount",
        "libseccomp2",
        "pigz",
        "bash",
        "curl",
        "jq",
        "socat",
        "ebtables",
    ),
)

# The ingress controller's nginx: Debian's nginx 1.22 and the dynamic modules the controller's template loads
# (bootstrap/ingress.py). Its Lua modules are left out: the Lua libraries the controller's Lua code needs are not
# to be had offline (docs/ingress-on-kind.md).
INGRESS = Rootfs(
    "ingress-nginx-base",
    BASE.packages
    + (
        "nginx",
        "libnginx-mod-http-headers-more-filter",
        "libnginx-mod-http-ndk",
        "libnginx-mod-http-set-misc",
        "libnginx-mod-stream",
        "dumb-init",
    ),
)


def debian_mirror() -> str:
    """The machine's own Debian mirror (respects local mirrors and proxies), else deb.debian.org."""
    for path in [Path("/etc/apt/sources.list.d/debian.sources"), Path("/etc/apt/sources.list")]:
        if path.exists():
            match = re.search(r"(?:URIs:|deb)\s+(https?://\S+/debian)\b", path.read_text())
            if match:
                return match.group(1)
    return "http://deb.debian.org/debian"


def image_exists(tag: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", tag], capture_output=True).returncode == 0


def ensure_rootfs_image(spec: Rootfs) -> str:
    """Returns the image tag, building the tree and importing it only when missing."""
    if image_exists(spec.image):
        return spec.image
    tree = cache_dir() / "rootfs" / f"{spec.name}-{spec.digest}"
    done = tree.with_suffix(".done")
    if not done.exists():
        _debootstrap(spec, tree)
        done.touch()
    with step(f"importing {spec.image}"):
        tar = subprocess.Popen(["tar", "-C", str(tree), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
        result = subprocess.run(
            [
                "docker",
                "import",
                "--change",
                "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "-",
                spec.image,
            ],
            stdin=tar.stdout,
            capture_output=True,
            text=True,
        )
        tar.wait()
        if result.returncode or tar.returncode:
            raise BootstrapError(f"import {spec.name}", result.stderr.strip() or "tar failed", "check disk space")
    return spec.image


def _debootstrap(spec: Rootfs, tree: Path) -> None:
    ensure_command("debootstrap", "debootstrap", "debootstrap")
    if tree.exists():
        shutil.rmtree(tree)
    with step(f"debootstrap {spec.name} ({len(spec.packages)} extra packages, {SUITE})"):
        run(
            ["debootstrap", "--variant=minbase", f"--include={','.join(spec.packages)}", SUITE, tree, debian_mirror()],
            step_name=f"debootstrap {spec.name}",
            capture=True,
            fix="check that Debian's archive is reachable and that there is disk space",
        )
    # Package caches and docs are dead weight in an image.
    for sub in ["var/cache/apt/archives", "var/lib/apt/lists", "usr/share/doc", "usr/share/man"]:
        shutil.rmtree(tree / sub, ignore_errors=True)
