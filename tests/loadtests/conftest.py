"""Fixtures of the load-test tests: the stand-in binary on a free loopback port.

`import locust` monkey-patches the whole process with gevent; the unit tests here import the
shapes and the gate, so they ask locust not to (it would change sockets and threads under every
other test of the same pytest run). Locust runs for real only in subprocesses, with
the `locust_env` fixture, which drops that switch again.
"""

import os

os.environ["LOCUST_SKIP_MONKEY_PATCH"] = "1"

import pytest

from loadtests.local_standin import StandinProcess, standin_binary


def pytest_configure(config):
    # The chart tests here need helm and kubeconform (`make tools`): `make unit` leaves `slow` out and
    # `make loadtest-chart-test` runs them. tests/charts declares the same marker the same way.
    if "slow:" not in " ".join(config.getini("markers")):
        config.addinivalue_line("markers", "slow: needs built tools or a cluster; `make unit` leaves it out")


@pytest.fixture
def locust_env() -> dict:
    """The environment for a real locust subprocess: this one without the no-monkey-patch switch."""
    return {key: value for key, value in os.environ.items() if key != "LOCUST_SKIP_MONKEY_PATCH"}


@pytest.fixture
def standin():
    """A fresh stand-in per test, so a test that switches its probes off cannot leak into the next."""
    with StandinProcess(standin_binary()) as process:
        yield process
