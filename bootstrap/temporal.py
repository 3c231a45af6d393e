"""Temporal on the kind cluster, as the clouds run it (the temporal chart there): the server, temporal-sql-tool and
the temporal CLI from one Go build (gotools.TEMPORAL), PostgreSQL 15 with its Prometheus exporter from Debian's
archive, and the platform's Python worker (images/temporal-worker-python: Debian's python3 and the pinned wheels,
temporalio's carrying its Rust core). Each is an image on the project's Debian base under a pinned tag
(contract.pins.TEMPORAL_IMAGES), loaded into the kind nodes."""

import hashlib
import re
from pathlib import Path

from contract import pins

from . import gotools
from .cache import ROOT, cache_dir
from .errors import BootstrapError
from .images import ImageRecipe, build_image
from .progress import run, step
from .rootfs import BASE, Rootfs, ensure_rootfs_image

NOBODY = "65534:65534"
POSTGRESQL = Rootfs(
    "postgresql-base", BASE.packages + (f"postgresql-{pins.POSTGRESQL_MAJOR}", "prometheus-postgres-exporter")
)
PYTHON = Rootfs("python-base", BASE.packages + ("python3",))
ROOTFS = (POSTGRESQL, PYTHON)  # what build_temporal starts from
WORKER_PYTHON = ROOT / "images/temporal-worker-python"
SITE_PACKAGES = "/usr/local/lib/python3.11/dist-packages"
# The PostgreSQL entrypoint and the schema step, run in the images.
POSTGRESQL_ENTRYPOINT = ROOT / "bootstrap/images/postgresql-entrypoint.sh"
SCHEMA_STEP = ROOT / "bootstrap/images/temporal-schema.sh"
PIP_FIX = "check that PyPI is reachable (pip download) and that the pins in requirements.txt are still served"


def wheels() -> list[Path]:
    """The Python worker's wheels (requirements.txt, hash-checked), downloaded once into the cache."""
    requirements = WORKER_PYTHON / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    folder = cache_dir() / "wheels" / f"temporal-worker-python-{digest}"
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        with step("pip download the Python worker's wheels"):
            run(
                [
                    *("python3", "-m", "pip", "download", "-q", "--no-deps", "--require-hashes"),
                    *("--only-binary=:all:", "--platform", "manylinux2014_x86_64", "--python-version", "3.11"),
                    *("--implementation", "cp", "-d", folder, "-r", requirements),
                ],
                step_name="pip download",
                capture=True,
                fix=PIP_FIX,
            )
        (folder / ".done").touch()
    found = sorted(folder.glob("*.whl"))
    pinned = [line for line in requirements.read_text().splitlines() if re.match(r"^[A-Za-z]", line)]
    if len(found) != len(pinned):
        raise BootstrapError("tools", f"{folder} holds {len(found)} wheels for {len(pinned)} pins", f"delete {folder}")
    return found


def recipes(base: str, postgresql: str, python: str) -> dict[str, ImageRecipe]:
    built = gotools.TEMPORAL.folder
    images = pins.TEMPORAL_IMAGES
    wheel_files = {f"/wheels/{wheel.name}": wheel for wheel in wheels()}
    return {
        "server": ImageRecipe(
            tag=images["server"],
            base=base,
            files={"/usr/local/bin/temporal-server": built / "temporal-server"},
            entrypoint=("/usr/local/bin/temporal-server",),
            user=NOBODY,
        ),
        # What the cloud chart's admin-tools image holds for the schema Job and namespace registration.
        "adminTools": ImageRecipe(
            tag=images["adminTools"],
            base=base,
            files={
                "/usr/local/bin/temporal-sql-tool": built / "temporal-sql-tool",
                "/usr/local/bin/temporal": built / "temporal",
                "/usr/local/bin/temporal-schema": SCHEMA_STEP,
            },
            user=NOBODY,
        ),
        # initdb runs as the pod's user, which needs a name: nobody has one in every Debian tree.
        "postgresql": ImageRecipe(
            tag=images["postgresql"],
            base=postgresql,
            files={"/usr/local/bin/postgresql-entrypoint": POSTGRESQL_ENTRYPOINT},
            entrypoint=("/usr/local/bin/postgresql-entrypoint",),
            user=NOBODY,
        ),
        # Wheels are zip files: unpacked into site-packages by the image's own python3, no pip in the image.
        "workerPython": ImageRecipe(
            tag=images["workerPython"],
            base=python,
            files={
                **wheel_files,
                "/app/worker.py": WORKER_PYTHON / "worker.py",
                "/app/standin_workflow.py": WORKER_PYTHON / "standin_workflow.py",
            },
            run=(
                f"for w in /wheels/*.whl; do python3 -m zipfile -e $w {SITE_PACKAGES}/; done && rm -r /wheels",
                "python3 -c 'import temporalio.bridge.temporal_sdk_bridge'",  # the wheel's Rust core loads here
                f"python3 -m compileall -q {SITE_PACKAGES} /app",
            ),
            env=(("PYTHONDONTWRITEBYTECODE", "1"), ("PYTHONUNBUFFERED", "1")),
            workdir="/app",
            entrypoint=("python3", "/app/worker.py"),
            user="65532:65532",
        ),
    }


def build_temporal(base: str, counter: str = "") -> dict[str, str]:
    """Builds (or finds cached) Temporal's binaries and every image above; returns the tags by component."""
    gotools.TEMPORAL.build(counter)
    bases = {"postgresql": ensure_rootfs_image(POSTGRESQL), "python": ensure_rootfs_image(PYTHON)}
    built = recipes(base, **bases)
    return {key: build_image(recipe, f"temporal {i}/{len(built)}") for i, (key, recipe) in enumerate(built.items(), 1)}
