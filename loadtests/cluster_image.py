"""The locust runner image for distributed runs (loadtests/image/Dockerfile).

`build(tag)` downloads the pinned wheels on the host (pip already trusts this machine's proxy and
index), then runs `docker build` with them in the context, so the build reaches no package index.
The versions are pyproject.toml's: the cluster runs the locust the tests run.

    python -m loadtests.cluster_image [--base IMAGE]   # prints the tag it built
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from bootstrap.errors import BootstrapError
from bootstrap.progress import run

REPO = Path(__file__).resolve().parent.parent
DOCKERFILE = Path(__file__).parent / "image" / "Dockerfile"
PACKAGES = ("locust", "websocket-client")
DEFAULT_BASE = "debian:bookworm-slim"
IMAGE_PYTHON = "3.11"  # Debian 12's python3


def pinned_requirements() -> list[str]:
    """`name==version` of each package the image needs, as pyproject.toml pins it."""
    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    pins = {re.split(r"[=<>!~ ]", spec, maxsplit=1)[0].lower(): spec.split("#")[0].strip() for spec in extras}
    missing = [name for name in PACKAGES if name not in pins or "==" not in pins[name]]
    if missing:
        raise SystemExit(
            f"pyproject.toml's test extras must pin {', '.join(missing)} with ==: the image installs "
            "exactly the versions the tests use"
        )
    return [pins[name] for name in PACKAGES]


def tag() -> str:
    """voiceplat/locust:<locust version>-<hash of the Dockerfile and pins>: a change of either is a new tag."""
    requirements = pinned_requirements()
    digest = hashlib.sha256(DOCKERFILE.read_bytes() + "\n".join(requirements).encode()).hexdigest()[:8]
    return f"voiceplat/locust:{requirements[0].split('==')[1]}-{digest}"


def image_exists(image: str) -> bool:
    return subprocess.run(["docker", "image", "inspect", image], capture_output=True).returncode == 0


def build(*, base: str = DEFAULT_BASE) -> str:
    """Build the image unless it exists; returns its tag."""
    image = tag()
    if image_exists(image):
        return image
    with tempfile.TemporaryDirectory() as context:
        wheels = Path(context) / "wheels"
        _run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--only-binary=:all:",
                "--dest",
                str(wheels),
                "--python-version",
                IMAGE_PYTHON,
                "--platform",
                "manylinux2014_x86_64",
                "--platform",
                "manylinux_2_28_x86_64",
                "--implementation",
                "cp",
                *pinned_requirements(),
            ],
            "download the locust wheels",
            "check that PyPI is reachable through pip's configuration",
        )
        shutil.copy2(DOCKERFILE, Path(context) / "Dockerfile")
        _run(
            ["docker", "build", "--quiet", "--build-arg", f"BASE={base}", "-t", image, context],
            f"docker build {image}",
            "check that the Docker engine runs (make docker) and that apt inside it reaches a Debian mirror",
        )
    return image


def _run(command: list[str], step: str, fix: str) -> None:
    try:
        run(command, step_name=step, fix=fix, capture=True)
    except BootstrapError as error:
        raise SystemExit(str(error)) from None


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=DEFAULT_BASE, help=f"base image with apt (default {DEFAULT_BASE})")
    print(build(base=parser.parse_args().base))
