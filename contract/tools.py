"""Where the pinned tools live, for every layer: `make tools` (bootstrap) links each one into `bin/` of the cache,
the Makefile puts that folder on PATH for its recipes, and Python code (synthesis, bootstrap, the runner, the
checks, the tests) finds each one here by name: `tool("helm")`, and `cdktf()` for the CLI `make node` installs.
toolchain.json records what `make tools` built (images, charts, the provider mirror), not where to run a tool."""

from pathlib import Path

from contract import settings

ROOT = Path(__file__).resolve().parents[1]


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
        raise ToolMissing(
            f"{name} is not built ({path} is missing)",
            f"run `make tools`, which builds every pinned tool into {bin_dir()}",
        )
    return str(path)


def cdktf() -> str:
    """The absolute path of the pinned cdktf CLI (package.json; `make node` installs it into node_modules)."""
    path = ROOT / "node_modules" / ".bin" / "cdktf"
    if not path.exists():
        raise ToolMissing(
            f"cdktf is not installed ({path} is missing)", "run `make node` (npm ci of the pinned cdktf-cli)"
        )
    return str(path)
