"""Declarative waits: a condition, a deadline, and a message that says what was expected and what was seen."""
import time
from collections.abc import Callable


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
