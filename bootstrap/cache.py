"""Where cached artifacts live, and the Go environment that builds into that cache."""

import os
from pathlib import Path

from contract import tools

ROOT = Path(__file__).resolve().parent.parent


def cache_dir() -> Path:
    path = tools.cache_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def bin_dir() -> Path:
    """Stable names for the pinned tools (symlinks into versioned folders); on PATH in the Makefile."""
    path = tools.bin_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def versioned(name: str, version: str) -> Path:
    """A folder that exists only once `name` at `version` is completely built."""
    return cache_dir() / "artifacts" / f"{name}-{version}"


def go_env() -> dict:
    """Builds use the cache's own module and build caches, so `empty caches` means one folder to delete."""
    env = dict(os.environ)
    env.update(
        GOMODCACHE=str(cache_dir() / "go" / "mod"),
        GOCACHE=str(cache_dir() / "go" / "build"),
        GOFLAGS="-mod=mod",
        CGO_ENABLED="0",
        GOTOOLCHAIN="local",
    )
    return env


def module_source(module: str, version: str) -> Path:
    """A downloaded module's source folder in the module cache (charts and image files ship inside some)."""
    escaped = "".join(f"!{c.lower()}" if c.isupper() else c for c in module)
    return Path(go_env()["GOMODCACHE"]) / f"{escaped}@{version}"
