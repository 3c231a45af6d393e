"""Waiting on what this machine starts (bootstrap/waiting.py, bootstrap/ports.py): a server is waited for on
wait_for, a process that ends first is named at once, and free ports are free and distinct."""

import socket
import subprocess
import sys
import time

import pytest

from bootstrap.ports import free_port, free_ports
from bootstrap.waiting import ProcessExited, WaitTimeout, wait_serving


def test_free_ports_are_distinct_and_can_be_bound():
    ports = free_ports(3)
    assert len(set(ports)) == 3
    for port in [*ports, free_port()]:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_a_server_is_waited_for_until_it_answers():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        calls = []
        took = wait_serving(
            [process],
            lambda: (calls.append(1) or len(calls) >= 3, f"answer {len(calls)}"),
            timeout=5,
            interval=0.01,
            expected="the third answer",
        )
        assert len(calls) == 3 and took < 5
    finally:
        process.kill()
        process.wait()


def test_a_server_that_exits_first_is_named_without_waiting_for_the_timeout():
    process = subprocess.Popen([sys.executable, "-c", "raise SystemExit(4)"])
    started = time.monotonic()
    with pytest.raises(ProcessExited, match=r"exited with 4 before the demo server ready"):
        wait_serving([process], lambda: (False, "refused"), timeout=30, interval=0.05, expected="the demo server ready")
    assert time.monotonic() - started < 10


def test_a_server_that_never_answers_fails_with_what_was_expected_and_what_was_seen():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        with pytest.raises(WaitTimeout, match=r"expected the demo server ready within 0s; last seen: refused"):
            wait_serving(
                [process], lambda: (False, "refused"), timeout=0.1, interval=0.02, expected="the demo server ready"
            )
    finally:
        process.kill()
        process.wait()
