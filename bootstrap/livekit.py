"""LiveKit on the kind cluster, as the clouds run it: the LiveKit server from its Go module, its Redis from Debian's
redis-server, a Redis metrics exporter (images/redis-metrics) and the e2e suite's synthetic participants
(images/livekit-participants), each as an image under the tag contract.pins.LIVEKIT_IMAGES names, which the local
LiveKit chart's values use (stacks/delivery/local_livekit.py)."""

from collections.abc import Callable

from contract import pins

from . import gotools
from .images import ImageRecipe, build_image
from .rootfs import BASE, Rootfs, ensure_rootfs_image

# redis-server and redis-tools (redis-cli, the probes') on the project's Debian base.
REDIS_ROOTFS = Rootfs("livekit-redis-base", BASE.packages + ("redis-server",))
REDIS_USER = "999:999"  # the chart's runAsUser: any non-root UID owning nothing but the data volume
OWN_IMAGES = {"redisMetrics": "redis-metrics", "participants": "livekit-participants"}


def recipes(redis_base: str) -> dict[str, ImageRecipe]:
    return {
        # From scratch: the server is one static binary (CGO off) and reads only its config, keys and Redis.
        "livekit": ImageRecipe(
            tag=pins.LIVEKIT_IMAGES["livekit"],
            files={"/livekit-server": gotools.LIVEKIT.path("livekit-server")},
            entrypoint=("/livekit-server",),
            user="65532:65532",
        ),
        "redis": ImageRecipe(
            tag=pins.LIVEKIT_IMAGES["redis"], base=redis_base, entrypoint=("/usr/bin/redis-server",), user=REDIS_USER
        ),
    }


def build_livekit(own_image: Callable[[str, str], str]) -> dict[str, str]:
    """Builds (or finds cached) every LiveKit image; returns their tags by the chart's image keys. `own_image`
    (name, tag) builds an image of images/<name> (toolchain.own_image). The LiveKit build's downloads are
    prefetched by the caller beside the other tools' compiles."""
    gotools.LIVEKIT.build()
    built = recipes(ensure_rootfs_image(REDIS_ROOTFS))
    images = {key: build_image(recipe, f"livekit {i}/{len(built)}") for i, (key, recipe) in enumerate(built.items(), 1)}
    for key, name in OWN_IMAGES.items():
        images[key] = own_image(name, pins.LIVEKIT_IMAGES[key])
    return images
