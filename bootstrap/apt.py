"""Debian packages the bootstrap needs on the host (docker.io, debootstrap): one way to install them."""

import os
import shutil

from .errors import BootstrapError
from .progress import run, say


def ensure_command(command: str, package: str, step: str) -> None:
    """Installs `package` with apt when `command` is missing; says how to do it by hand when it cannot."""
    if shutil.which(command):
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BootstrapError(
            step,
            f"`{command}` is not installed",
            f"install the Debian package {package} (sudo apt-get install {package}) and retry",
        )
    say(f"installing Debian's {package} (`{command}` is missing)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(
        ["apt-get", "update", "-q"],
        step_name=step,
        env=env,
        capture=True,
        fix="check that Debian's archive is reachable",
    )
    run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", package],
        step_name=step,
        env=env,
        capture=True,
        fix="check that Debian's archive is reachable and dpkg is not locked",
    )
