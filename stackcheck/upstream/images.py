"""The images rendered objects run, and which of them are not pinned: no tag, or `latest`, and no digest. An
unpinned image is whatever was pushed last, so a node replacement or rescheduling can run other code than the
release that was reviewed (cloudflared on `latest` was once found by hand; this finds the next one)."""

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
    return sorted(f"{obj['kind']} {obj.get('metadata', {}).get('name')} runs {image}"
                  for obj in objects for image in images(obj) if unpinned(image))
