"""Declarative waits: a condition, a deadline, and a message that says what was expected and what was seen."""

import time
from collections.abc import Callable
from pathlib import Path


class WaitTimeout(AssertionError):
    pass


def wait_for(condition: Callable[[], tuple[bool, str]], *, timeout: float, expected: str, interval: float = 1.0):
    """Polls `condition` (returning (met, what_was_seen)) until it is met or `timeout` seconds pass.

    Returns the seconds it took. On timeout raises WaitTimeout naming the expectation and the last observation.
    """
    started = time.monotonic()
    seen = "nothing observed yet"
    while True:
        try:
            met, seen = condition()
        except Exception as error:  # noqa: BLE001 - a transient API error is an observation, not a verdict
            met, seen = False, f"{type(error).__name__}: {error}"
        if met:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise WaitTimeout(f"expected {expected} within {timeout:.0f}s; last seen: {seen}")
        time.sleep(interval)


class ProcessExited(RuntimeError):
    """A server process ended while it was waited for: `process` (a Popen) says how."""

    def __init__(self, process, expected: str):
        self.process = process
        super().__init__(f"{Path(str(process.args[0])).name} exited with {process.returncode} before {expected}")


def wait_serving(
    processes, answers: Callable[[], tuple[bool, str]], *, timeout: float, expected: str, interval: float = 0.5
) -> float:
    """wait_for of a server this process started: `answers` (a wait_for condition: (met, what was seen)) until it
    is met, while each of `processes` (Popen) still runs. Returns the seconds it took; raises ProcessExited naming
    the first that ended, or WaitTimeout naming what was expected and what was last seen."""

    def serving() -> tuple[bool, str]:
        if exited := [process for process in processes if process.poll() is not None]:
            return True, f"{exited[0].args[0]} exited with {exited[0].returncode}"  # met: nothing more will come
        return answers()

    took = wait_for(serving, timeout=timeout, expected=expected, interval=interval)
    if exited := [process for process in processes if process.poll() is not None]:
        raise ProcessExited(exited[0], expected)
    return took
