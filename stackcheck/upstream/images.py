"""The images rendered objects run, which of them are not pinned (no tag, or `latest`, and no digest), and which come
from a source that gets no more updates (contract/frozen_images.py). An unpinned image is whatever was pushed last,
so a node replacement or rescheduling can run other code than the release that was reviewed; a frozen one keeps
every vulnerability found after it was frozen."""

from contract.frozen_images import frozen_source

POD_LISTS = ("containers", "initContainers", "ephemeralContainers")


def images(node) -> set[str]:
    """Every container image anywhere in an object (pod specs of any workload kind, CRs that embed them)."""
    found = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in POD_LISTS and isinstance(value, list):
                found |= {c["image"] for c in value if isinstance(c, dict) and isinstance(c.get("image"), str)}
            else:
                found |= images(value)
    elif isinstance(node, list):
        for item in node:
            found |= images(item)
    return found


def unpinned(image: str) -> bool:
    if "@sha256:" in image:
        return False
    last = image.rsplit("/", 1)[-1]  # a registry's port (host:5000/name) is not a tag
    tag = last.split(":", 1)[1] if ":" in last else ""
    return tag in ("", "latest")


def unpinned_images(objects: list[dict]) -> list[str]:
    """`<kind> <name> runs <image>` for each unpinned image of the objects."""
    return sorted(
        f"{obj['kind']} {obj.get('metadata', {}).get('name')} runs {image}"
        for obj in objects
        for image in images(obj)
        if unpinned(image)
    )


def frozen_images(objects: list[dict]) -> list[str]:
    """`<kind> <name> runs <image>: <why>; use <instead>` for each image of the objects from a frozen source."""
    return sorted(
        f"{obj['kind']} {obj.get('metadata', {}).get('name')} runs {image}: {source.why}; use {source.instead}"
        for obj in objects
        for image in images(obj)
        if (source := frozen_source(image))
    )
