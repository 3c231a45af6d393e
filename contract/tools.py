"""Where the pinned tools live, for every layer: `make tools` (bootstrap) links each one into `bin/` of the cache,
the Makefile puts that folder on PATH, and synthesis, the runner and the tests find them here by name."""
from pathlib import Path

from contract import settings


class ToolMissing(RuntimeError):
    """A pinned tool has not been built: `problem` says which, `fix` how to get it."""

    def __init__(self, problem: str, fix: str):
        self.problem, self.fix = problem, fix
        super().__init__(f"{problem}. Fix: {fix}")


def cache_dir() -> Path:
    """The tools cache (settings.CACHE)."""
    return settings.CACHE.read()


def bin_dir() -> Path:
    return cache_dir() / "bin"


def tool(name: str) -> str:
    """The absolute path of the pinned tool `name` (helm, kubectl, kind, kubeconform, tofu, ...)."""
    path = bin_dir() / name
    if not path.exists():
        raise ToolMissing(f"{name} is not built ({path} is missing)",
                          f"run `make tools`, which builds every pinned tool into {bin_dir()}")
    return str(path)
