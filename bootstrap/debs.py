"""Prebuilt programs from Debian's archive (apt-get download + dpkg-deb -x), cached by package version.

Used where a Debian package serves as well as a Go build and costs seconds instead of minutes (Prometheus,
promtool, Alertmanager: bootstrap/monitoring.py).
"""

import os
import shutil
import tempfile
from pathlib import Path

from .cache import versioned
from .progress import run, step

FIX = "check that Debian's archive is reachable (apt-get update) and that the pinned version is still served"


def unpacked(package: str, version: str) -> Path:
    """The folder Debian's `package` at `version` is unpacked into (usr/bin/... inside)."""
    folder = versioned(f"deb-{package}", version)
    if (folder / ".done").exists():
        return folder
    staging = folder.with_name(folder.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with step(f"apt-get download {package}={version}"), tempfile.TemporaryDirectory() as download:
        os.chmod(download, 0o777)  # apt's sandbox user writes the file
        run(
            ["apt-get", "download", "-q", f"{package}={version}"],
            step_name=f"download {package}",
            env=env,
            cwd=download,
            capture=True,
            fix=FIX,
        )
        deb = next(Path(download).glob("*.deb"))
        run(["dpkg-deb", "-x", deb, staging], step_name=f"unpack {package}", capture=True)
    (staging / ".done").touch()
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder
