"""The kind node image for Kubernetes KUBERNETES, assembled locally.

kind's own base-image files (entrypoint, systemd units, containerd config) come from kind's Go module; packages come
from Debian; Kubernetes from the built binaries; every image kubeadm and kind look for is imported into the node's
containerd under its exact name, unpacked lazily, as `kind build node-image` does.
"""

import hashlib
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from contract import pins

from .cache import cache_dir, go_env, module_source
from .docker_engine import missing_capabilities
from .errors import BootstrapError
from .images import save_images
from .progress import run, say, step
from .rootfs import NODE, ensure_rootfs_image, image_exists
from .waiting import WaitTimeout, wait_for

STEP = "node image"
SANDBOX_IMAGE = f"registry.k8s.io/pause:{pins.PAUSE}"
CAP_SYS_RESOURCE = 24


def kind_base_files() -> Path:
    folder = module_source("sigs.k8s.io/kind", pins.KIND) / "images" / "base" / "files"
    if not folder.exists():
        run(["go", "mod", "download", f"sigs.k8s.io/kind@{pins.KIND}"], step_name=STEP, capture=True, env=go_env())
    return folder


def containerd_config(files: Path, restrict_oom_score_adj: bool) -> str:
    """kind's containerd config, minus the rootless fuse-overlayfs plugin, with our pause image as sandbox.

    Pods get negative oom_score_adj values, which need CAP_SYS_RESOURCE; on hosts that cannot grant it, containerd
    must clamp them (as it does rootless) or every pod sandbox fails to start.
    """
    text = (files / "etc/containerd/config.toml").read_text()
    start = text.index("[proxy_plugins]")
    end = text.index("[plugins.", start)
    text = text[:start] + text[end:]
    text = re.sub(
        r"restrict_oom_score_adj = \w+", f"restrict_oom_score_adj = {str(restrict_oom_score_adj).lower()}", text
    )
    return re.sub(r'sandbox_image = "[^"]*"', f'sandbox_image = "{SANDBOX_IMAGE}"', text)


def host_lacks_sys_resource() -> bool:
    return CAP_SYS_RESOURCE in missing_capabilities()


def prep_dockerfile(base: str) -> str:
    return f"""FROM {base}
COPY files/ /
COPY bin/ /usr/bin/
RUN chmod 0755 /usr/local/bin/* /kind/bin/* /usr/bin/kubeadm /usr/bin/kubelet /usr/bin/kubectl \\
 && ln -sf /usr/bin/containerd /usr/local/bin/containerd && mkdir -p /opt/cni && ln -sfn /usr/lib/cni /opt/cni/bin \\
 && ctr oci spec | jq '.hooks.createContainer += [{{"path": "/kind/bin/mount-product-files.sh"}}] | del(.process.rlimits)' \\
      > /etc/containerd/cri-base.json \\
 && find /lib/systemd/system/sysinit.target.wants/ -name systemd-tmpfiles-setup.service -delete \\
 && rm -f /lib/systemd/system/multi-user.target.wants/* /etc/systemd/system/*.wants/* \\
      /lib/systemd/system/local-fs.target.wants/* /lib/systemd/system/sockets.target.wants/*udev* \\
      /lib/systemd/system/sockets.target.wants/*initctl* /lib/systemd/system/basic.target.wants/* \\
 && echo ReadKMsg=no >> /etc/systemd/journald.conf && ln -sf /lib/systemd/systemd /sbin/init \\
 && systemctl enable kubelet.service containerd.service undo-mount-hacks.service \\
 && systemctl mask systemd-binfmt.service && mkdir -p /etc/kubernetes/manifests
ENV container=docker
STOPSIGNAL SIGRTMIN+3
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
"""  # noqa: E501 - node_image_tag hashes this text: rewrapping it would rebuild every cached node image


def node_image_tag(k8s_bin: Path, image_tags: list[str], cni_manifest: str, storage_manifest: str) -> str:
    sha = hashlib.sha256()
    files = kind_base_files()
    for part in [
        prep_dockerfile(NODE.image),
        cni_manifest,
        storage_manifest,
        containerd_config(files, host_lacks_sys_resource()),
        *sorted(image_tags),
    ]:
        sha.update(part.encode())
    # kind's base-image files (entrypoint, units) come from its module: a new KIND pin is a new node image.
    for path in sorted(files.rglob("*")):
        if path.is_file():
            sha.update(str(path.relative_to(files)).encode())
            sha.update(path.read_bytes())
    for binary in ("kubeadm", "kubelet", "kubectl"):
        sha.update((k8s_bin / binary).read_bytes())
    for tag in sorted(image_tags):
        sha.update(
            subprocess.run(
                ["docker", "image", "inspect", "--format", "{{.Id}}", tag], capture_output=True, text=True
            ).stdout.encode()
        )
    return f"voiceplat/kind-node:{pins.KUBERNETES}-{sha.hexdigest()[:12]}"


def build_node_image(k8s_bin: Path, image_tags: list[str], cni_manifest: str, storage_manifest: str) -> str:
    tag = node_image_tag(k8s_bin, image_tags, cni_manifest, storage_manifest)
    if image_exists(tag):
        return tag
    base = ensure_rootfs_image(NODE)
    files = kind_base_files()
    with step(f"assembling {tag}"), tempfile.TemporaryDirectory() as context:
        root = Path(context)
        shutil.copytree(files, root / "files", ignore=shutil.ignore_patterns("LICENSES", "containerd-fuse-overlayfs*"))
        (root / "files/etc/containerd/config.toml").write_text(containerd_config(files, host_lacks_sys_resource()))
        (root / "files/kind/manifests").mkdir(parents=True)
        (root / "files/kind/manifests/default-cni.yaml").write_text(cni_manifest)
        (root / "files/kind/manifests/default-storage.yaml").write_text(storage_manifest)
        (root / "files/kind/version").write_text(pins.KUBERNETES)
        (root / "bin").mkdir()
        for binary in ("kubeadm", "kubelet", "kubectl"):
            shutil.copy2(k8s_bin / binary, root / "bin" / binary)
        (root / "Dockerfile").write_text(prep_dockerfile(base))
        prep = tag.replace("kind-node:", "kind-node-prep:")
        run(["docker", "build", "-q", "-t", prep, root], step_name=f"{STEP}: docker build", capture=True)
    archive = save_images(image_tags, cache_dir() / "images" / f"{tag.split(':')[1]}.tar")
    _import_images(prep, archive, image_tags, tag)
    run(["docker", "rmi", prep], step_name=STEP, capture=True)
    archive.unlink()
    return tag


def _import_images(prep: str, archive: Path, image_tags: list[str], tag: str) -> None:
    """Runs the node's containerd in a build container, imports the images (content only), commits."""
    name = f"voiceplat-node-build-{int(time.time())}"
    with step(f"importing {len(image_tags)} images into the node's containerd"):
        run(
            ["docker", "run", "-d", "--privileged", "--name", name, "--entrypoint", "/usr/bin/sleep", prep, "infinity"],
            step_name=STEP,
            capture=True,
        )
        try:
            run(["docker", "exec", "-d", name, "containerd"], step_name=STEP, capture=True)
            _wait_containerd(name)
            run(["docker", "cp", archive, f"{name}:/images.tar"], step_name=STEP, capture=True)
            run(
                [
                    "docker",
                    "exec",
                    name,
                    "ctr",
                    "-n",
                    "k8s.io",
                    "images",
                    "import",
                    "--no-unpack",
                    "--all-platforms",
                    "/images.tar",
                ],
                step_name=f"{STEP}: ctr import",
                capture=True,
            )
            listed = run(
                ["docker", "exec", name, "ctr", "-n", "k8s.io", "images", "ls", "-q"], step_name=STEP, capture=True
            ).split()
            missing = [t for t in image_tags if _qualified(t) not in listed]
            if missing:
                raise BootstrapError(STEP, f"images missing from the node's containerd after import: {missing}")
            run(
                ["docker", "exec", name, "sh", "-c", "rm /images.tar; pkill containerd || true"],
                step_name=STEP,
                capture=True,
            )
            _wait_containerd_gone(name)  # its metadata must be flushed before the commit
            run(
                [
                    "docker",
                    "commit",
                    "--change",
                    'ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]',
                    "--change",
                    "CMD []",
                    name,
                    tag,
                ],
                step_name=f"{STEP}: commit",
                capture=True,
            )
        finally:
            subprocess.run(["docker", "rm", "-f", name], capture_output=True)
    say(f"node image {tag} holds: {', '.join(sorted(image_tags))}")


def _qualified(tag: str) -> str:
    """containerd lists images by their full reference (docker.io/library/... for short names)."""
    first = tag.split("/")[0]
    if "/" in tag and ("." in first or ":" in first or first == "localhost"):
        return tag
    return f"docker.io/{tag}" if "/" in tag else f"docker.io/library/{tag}"


def _wait_containerd(name: str) -> None:
    def answers():
        return subprocess.run(
            ["docker", "exec", name, "ctr", "version"], capture_output=True
        ).returncode == 0, "`ctr version` fails"

    try:
        wait_for(answers, timeout=30, expected="containerd answering in the build container", interval=0.3)
    except WaitTimeout as timeout:
        raise BootstrapError(STEP, str(timeout)) from timeout


def _wait_containerd_gone(name: str) -> None:
    def gone():
        running = subprocess.run(["docker", "exec", name, "pgrep", "-x", "containerd"], capture_output=True, text=True)
        if running.returncode == 0:
            return False, f"containerd still running (pids {running.stdout.split()})"
        return running.returncode == 1, f"`pgrep -x containerd` exited {running.returncode} {running.stderr.strip()}"

    try:
        wait_for(gone, timeout=30, expected="containerd stopped in the build container", interval=0.2)
    except WaitTimeout as timeout:
        raise BootstrapError(STEP, str(timeout)) from timeout
