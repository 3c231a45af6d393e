"""Errors raised while reading the environment model; each names the field path and the fix."""


class ConfigError(ValueError):
    """A field of an environment is wrong: `path` locates it, `fix` says what to write instead."""

    def __init__(self, path: str, problem: str, fix: str):
        self.path = path
        self.problem = problem
        self.fix = fix
        super().__init__(f"{path}: {problem}. Fix: {fix}")


class UnknownEnvironment(ConfigError):
    """A stack or environment name that is not declared in stacks/environments/catalog.py."""

    def __init__(self, name: str, known: tuple[str, ...]):
        self.name = name
        self.known = known
        super().__init__(
            "environment",
            f"unknown environment {name!r}",
            f"use one of {', '.join(known)} (declared in stacks/environments/catalog.py)",
        )
