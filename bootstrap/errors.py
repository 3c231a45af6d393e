"""The one error type of the bootstrap: what failed, why, and how to fix it."""


class BootstrapError(RuntimeError):
    def __init__(self, step: str, problem: str, fix: str = ""):
        self.step, self.problem, self.fix = step, problem, fix
        message = f"[{step}] {problem}"
        if fix:
            message += f"\n  fix: {fix}"
        super().__init__(message)
