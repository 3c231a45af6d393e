"""shellcheck for `make lint`: Debian's package at the pinned version (contract/pins.py SHELLCHECK_DEB).

A linter's findings change with its version, so a different shellcheck on PATH is refused rather than used."""

import re
import subprocess

from contract import pins

from .apt import ensure_command
from .errors import BootstrapError

STEP = "shellcheck"


def ensure_shellcheck() -> None:
    """Installs the pinned shellcheck with apt when none is installed; fails naming both versions on another one."""
    package = f"shellcheck={pins.SHELLCHECK_DEB}"
    ensure_command("shellcheck", package, STEP)
    wanted = pins.upstream_version(pins.SHELLCHECK_DEB).lstrip("v")
    found = installed_version()
    if found != wanted:
        raise BootstrapError(
            STEP,
            f"shellcheck {found} is installed; `make lint` runs the pinned {wanted}",
            f"install Debian's {package} (sudo apt-get install {package}) and retry",
        )


def installed_version() -> str:
    """The version `shellcheck --version` reports (its `version: 0.9.0` line)."""
    output = subprocess.run(["shellcheck", "--version"], capture_output=True, text=True, check=True).stdout
    match = re.search(r"^version: (\S+)$", output, re.MULTILINE)
    return match[1] if match else "of unknown version"
