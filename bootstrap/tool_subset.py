"""`python -m bootstrap tools --only helm[,...]`: a few pinned tools alone, for the targets that need no more
(`make unit` renders charts with helm and nothing else). Each is the binary `make tools` makes (the upstream
release online, checked against its checksums; its Go module offline), linked into the same bin/ folder, without
a Docker engine, the images, the node image or the toolchain record the cluster reads."""

from pathlib import Path

from . import gotools
from .cache import bin_dir
from .errors import BootstrapError
from .progress import step
from .releases import fetch_release
from .source import online
from .toolchain import relink

# Tools that build alone in minutes offline. kubectl is left out: offline it comes with the Kubernetes build.
ALONE = {"helm": gotools.HELM, "kind": gotools.KIND, "kubeconform": gotools.KUBECONFORM, "tofu": gotools.OPENTOFU}


def build_only(names: list[str]) -> dict[str, Path]:
    """Builds or fetches each named tool and links it into bin/; returns name -> binary."""
    names = [name for name in names if name]
    unknown = sorted(set(names) - set(ALONE))
    if unknown or not names:
        raise BootstrapError(
            "tools --only",
            f"cannot build {', '.join(unknown) or 'nothing'} alone",
            f"name some of {', '.join(ALONE)} (comma-separated), or run `make tools` for every tool",
        )
    built = {}
    with step(f"tools --only {','.join(names)}"):
        for index, name in enumerate(names, 1):
            build = ALONE[name]
            built[name] = fetch_release(name) if online() else build.build(f"{index}/{len(names)}") / name
            relink(bin_dir() / name, built[name])
    return built
