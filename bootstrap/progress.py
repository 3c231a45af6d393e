"""Progress lines for long steps: what is being done, how far along, how long it took."""
import contextlib
import subprocess
import sys
import time

from .errors import BootstrapError


# Durations of the steps this process ran, for the record `make tools` keeps (bench: cold vs warm builds).
TIMINGS: list[tuple[str, float]] = []


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def step(name: str, counter: str = ""):
    """Times a step and prints its start and end; `counter` is e.g. '3/9'."""
    prefix = f"[{counter}] " if counter else ""
    say(f"{prefix}{name} ...")
    started = time.monotonic()
    yield
    took = time.monotonic() - started
    TIMINGS.append((name, round(took, 1)))
    say(f"{prefix}{name}: done in {took:.1f}s")


def run(cmd, *, step_name: str, fix: str = "", env=None, cwd=None, capture: bool = False, input=None):
    """Runs a command; on failure raises BootstrapError with the step, the command and its last output lines."""
    try:
        result = subprocess.run(
            [str(c) for c in cmd], env=env, cwd=cwd, input=input, text=True,
            stdout=subprocess.PIPE if capture else None,
            stderr=subprocess.PIPE if capture else None,
        )
    except FileNotFoundError as missing:
        raise BootstrapError(step_name, f"command not found: {cmd[0]}", fix or "run `make tools`") from missing
    if result.returncode != 0:
        tail = "\n".join(((result.stderr or "") + (result.stdout or "")).strip().splitlines()[-15:])
        raise BootstrapError(
            step_name, f"`{' '.join(map(str, cmd))}` exited {result.returncode}" + (f":\n{tail}" if tail else ""), fix)
    return result.stdout if capture else None
