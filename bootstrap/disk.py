"""Room on the Docker engine's disk for a kind cluster, checked before one is created, so a full disk is a clear
error up front, not an image load or a pod that fails half-way through `make up` or the e2e suite.

Each node keeps its own copy of the node image's content (kind gives /var a volume of its own, which Docker fills
from the image), each worker the project's images loaded after it starts, and a load writes the image to a
temporary archive first. containerd keeps an image twice, its layers and their unpacked snapshot (measured on a
node of the e2e cluster: 2.9 GB of content, 1.9 to 2.5 GB of snapshots, for a 2.65 GB node image). The platform's
volumes, logs and the engine's own files take the margin."""

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .errors import BootstrapError

GIB = 1024**3
MARGIN_BYTES = 3 * GIB
UNPACKED = 2  # an image's bytes in a node: its layers, then the snapshot unpacked from them


def image_bytes(tag: str) -> int:
    found = subprocess.run(["docker", "image", "inspect", "--format", "{{.Size}}", tag], capture_output=True, text=True)
    return int(found.stdout.strip()) if found.returncode == 0 and found.stdout.strip().isdigit() else 0


def docker_root() -> Path:
    found = subprocess.run(["docker", "info", "--format", "{{.DockerRootDir}}"], capture_output=True, text=True)
    return Path(found.stdout.strip() or "/var/lib/docker")


def needed_bytes(nodes: int, workers: int, node_image: int, project_images: Sequence[int]) -> int:
    """What a cluster of `nodes` (`workers` of them loaded with the project's images) takes on the engine's disk."""
    loaded = workers * UNPACKED * sum(project_images) + max(project_images, default=0)
    return nodes * UNPACKED * node_image + loaded + MARGIN_BYTES


def ensure_room(name: str, nodes: int, workers: int, node_image: str, project_images: Sequence[str]) -> None:
    root = docker_root()
    free = shutil.disk_usage(root if root.exists() else "/").free
    needed = needed_bytes(nodes, workers, image_bytes(node_image), [image_bytes(i) for i in project_images])
    if free < needed:
        raise BootstrapError(
            f"kind create cluster {name}",
            f"{free / GIB:.1f} GiB free on {root}; a cluster of {nodes} nodes needs about {needed / GIB:.1f} GiB "
            f"(each node copies the node image {node_image}, each worker the project's images)",
            "free disk space: delete the kind clusters you no longer use (`kind get clusters`; `make down` deletes "
            "`make up`'s), then `docker image prune` for the images no tag names",
        )
