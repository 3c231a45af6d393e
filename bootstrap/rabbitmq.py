"""RabbitMQ on kind: Debian's `rabbitmq-server` (Erlang, and the rabbitmq_prometheus plugin it bundles) on a
Debian root filesystem of its own, as an image under a pinned tag that rides in the node image.

The broker runs as the fixed user RABBITMQ_USER (the package makes its `rabbitmq` user with whatever id is free),
straight from /usr/lib/rabbitmq/bin (Debian's /usr/sbin wrapper insists on root or that user's name), logging to
stdout; everything it writes lives under /var/lib/rabbitmq, the chart's PersistentVolumeClaim.
"""

from contract import pins

from .images import ImageRecipe, build_image
from .rootfs import BASE, Rootfs, ensure_rootfs_image

ROOTFS = Rootfs("rabbitmq-base", BASE.packages + ("rabbitmq-server",))
RABBITMQ_USER = "999:999"
DATA = "/var/lib/rabbitmq"


def recipe(base: str) -> ImageRecipe:
    uid, gid = RABBITMQ_USER.split(":")
    return ImageRecipe(
        tag=pins.RABBITMQ_IMAGE,
        base=base,
        run=(
            # debootstrap installs the archive's current version: refuse any other than the pin.
            f"test \"$(dpkg-query -W -f='${{Version}}' rabbitmq-server)\" = '{pins.RABBITMQ_DEB}' || "
            f"{{ echo 'rabbitmq-server is not {pins.RABBITMQ_DEB}: move contract/pins.py RABBITMQ_DEB' >&2; exit 1; }}",
            f"groupmod -g {gid} rabbitmq && usermod -u {uid} -g {gid} rabbitmq && "
            f"rm -rf {DATA}/* /var/log/rabbitmq && mkdir -p {DATA} && chown -R {uid}:{gid} {DATA} /etc/rabbitmq",
        ),
        env=(
            ("HOME", DATA),
            ("RABBITMQ_LOGS", "-"),
            # The upgrade log and crash dumps are files even with console logging: on the claim, not the root.
            ("RABBITMQ_LOG_BASE", f"{DATA}/log"),
            ("RABBITMQ_MNESIA_BASE", f"{DATA}/mnesia"),
        ),
        entrypoint=("/usr/lib/rabbitmq/bin/rabbitmq-server",),
        user=RABBITMQ_USER,
    )


def rabbitmq_image() -> str:
    """Builds (or finds cached) the broker's image."""
    return build_image(recipe(ensure_rootfs_image(ROOTFS)))
