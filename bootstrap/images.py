"""Container images built locally from recipes: a base (scratch or the Debian base), files, an entrypoint.

Each image is tagged with the exact name Kubernetes, kubeadm or the manifests look for, and labelled with a hash of
its recipe and files, so an unchanged recipe is never rebuilt.
"""

import hashlib
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .progress import run, step

RECIPE_LABEL = "io.voiceplat.recipe"


@dataclass(frozen=True)
class ImageRecipe:
    tag: str
    base: str = "scratch"
    files: dict = field(default_factory=dict)  # path in the image -> file on the host
    entrypoint: tuple = ()
    user: str = ""
    run: tuple = ()  # shell commands run on top of the files (the base image's own tools; no network needed)
    env: tuple = ()  # (name, value) pairs the image sets
    workdir: str = ""
    dockerfile: Path | None = None  # a Dockerfile of the project's own; `files` then go to the context root

    def render_dockerfile(self) -> str:
        if self.dockerfile:
            return self.dockerfile.read_text()
        lines = [f"FROM {self.base}", "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
        lines += [f"COPY {_context_name(dest)} {dest}" for dest in self.files]
        lines += [f"RUN {command}" for command in self.run]
        lines += [f"ENV {name}={value}" for name, value in self.env]
        if self.workdir:
            lines.append(f"WORKDIR {self.workdir}")
        if self.user:
            lines.append(f"USER {self.user}")
        if self.entrypoint:
            lines.append("ENTRYPOINT [" + ", ".join(f'"{part}"' for part in self.entrypoint) + "]")
        return "\n".join(lines) + "\n"

    def digest(self) -> str:
        sha = hashlib.sha256(self.render_dockerfile().encode())
        for dest, source in sorted(self.files.items()):
            sha.update(f"{dest} {Path(source).stat().st_mode:o}".encode())
            sha.update(Path(source).read_bytes())
        return sha.hexdigest()[:16]


def _context_name(dest: str) -> str:
    return dest.strip("/").replace("/", "__")


def current_digest(tag: str) -> str:
    out = subprocess.run(
        ["docker", "image", "inspect", "--format", f'{{{{index .Config.Labels "{RECIPE_LABEL}"}}}}', tag],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() if out.returncode == 0 else ""


def build_image(recipe: ImageRecipe, counter: str = "") -> str:
    digest = recipe.digest()
    if current_digest(recipe.tag) == digest:
        return recipe.tag
    with step(f"docker build {recipe.tag}", counter), tempfile.TemporaryDirectory() as context:
        root = Path(context)
        for dest, source in recipe.files.items():
            name = Path(dest).name if recipe.dockerfile else _context_name(dest)
            shutil.copy2(source, root / name)
        (root / "Dockerfile").write_text(recipe.render_dockerfile())
        run(
            ["docker", "build", "-q", "--label", f"{RECIPE_LABEL}={digest}", "-t", recipe.tag, root],
            step_name=f"docker build {recipe.tag}",
            capture=True,
        )
    return recipe.tag


def save_images(tags: list[str], archive: Path) -> Path:
    """One `docker save` archive of several images, for importing into the node's containerd."""
    if archive.exists():
        return archive
    archive.parent.mkdir(parents=True, exist_ok=True)
    partial = archive.with_suffix(".partial")
    run(["docker", "save", "-o", partial, *tags], step_name="docker save", capture=True)
    partial.rename(archive)
    return archive
