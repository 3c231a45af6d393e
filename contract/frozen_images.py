"""Image sources that get no more updates: an image from one of them keeps every CVE found after it was frozen. The
one list of them, read by `make upstream-check` (stackcheck/upstream/images.py: a finding for each rendered image from
one) and by the unit tests over the synthesized values (tests/contract/test_frozen_images.py: each cloud stack's
values).

`KNOWN` are the releases that still run one, each with why it has not moved yet: reported by upstream-check like any
other, and let through by the unit test only while the reason stands here, so a new one cannot slip in unseen.
"""

from dataclasses import dataclass

DOCKER_HUB = "docker.io"
_DOCKER_HUB_ALIASES = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")


@dataclass(frozen=True)
class FrozenSource:
    prefix: str  # a normalized image reference's start: registry/namespace/, e.g. docker.io/bitnamilegacy/
    why: str
    instead: str


FROZEN_SOURCES = (
    FrozenSource(
        prefix="docker.io/bitnamilegacy/",
        why="Bitnami moved its versioned images here in 2025 and builds no more of them (no security fixes)",
        instead="the project's own maintained image (Docker Library redis or rabbitmq, valkey/valkey) or an operator "
        "that runs it",
    ),
    FrozenSource(
        prefix="docker.io/bitnami/",
        why="since 2025 Bitnami publishes only `latest` here for free, which is not a version one can pin (a pinned "
        "tag from before is frozen)",
        instead="the project's own maintained image, pinned",
    ),
)

# release name -> why it still runs a frozen image.
KNOWN: dict[str, str] = {}


def normalized(image: str) -> str:
    """`image` with its registry spelled out: Docker Hub's short forms (`redis`, `bitnamilegacy/redis`) and aliases
    become docker.io/<namespace>/<name>."""
    for alias in _DOCKER_HUB_ALIASES:
        if image.startswith(alias):
            image = image[len(alias) :]
            break
    else:
        first = image.split("/", 1)[0]
        if "/" in image and ("." in first or ":" in first or first == "localhost"):
            return image  # another registry
    return f"{DOCKER_HUB}/{image if '/' in image else 'library/' + image}"


def frozen_source(image: str) -> FrozenSource | None:
    """The frozen source `image` comes from, if any."""
    reference = normalized(image)
    return next((source for source in FROZEN_SOURCES if reference.startswith(source.prefix)), None)
