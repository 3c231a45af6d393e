"""The stand-in binary as a process on a free loopback port: the smoke tests and the loopback benchmark
target it. (The kind cluster runs the same binary in its image.)"""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

from bootstrap.ports import free_port
from bootstrap.progress import run
from bootstrap.waiting import ProcessExited, WaitTimeout, wait_serving

REPO = Path(__file__).resolve().parent.parent
BINARY = REPO / "images" / "standin" / "build" / "standin"


def standin_binary() -> Path:
    """Build the binary through its make target (the one way it is built) and return its path."""
    run(
        ["make", "-s", "--no-print-directory", "standin-binary"],
        step_name="build the stand-in",
        cwd=REPO,
        capture=True,
        fix="the Go compiler's message is above; `make standin-binary` builds it alone",
    )
    return BINARY


class StandinProcess:
    """`with StandinProcess(binary) as s:` starts it, waits until /readyz answers, stops it with SIGTERM."""

    def __init__(self, binary: Path, *, service_name: str = "standin", ready_within_s: float = 10.0):
        self.binary = binary
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.service_name = service_name
        self.ready_within_s = ready_within_s
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> StandinProcess:
        env = {**os.environ, "PORT": str(self.port), "SERVICE_NAME": self.service_name, "SHUTDOWN_TIMEOUT": "5s"}
        self.process = subprocess.Popen(
            [str(self.binary)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )

        def ready() -> tuple[bool, str]:
            status, _ = self.get("/readyz")
            return status == 200, f"/readyz answered {status}"

        try:
            wait_serving(
                [self.process],
                ready,
                timeout=self.ready_within_s,
                interval=0.02,
                expected=f"the stand-in on {self.url} ready",
            )
        except WaitTimeout as timeout:
            self.stop()
            raise RuntimeError(str(timeout)) from timeout
        except ProcessExited:
            raise RuntimeError(
                f"the stand-in exited with {self.process.returncode} before it was ready:\n{self.process.stdout.read()}"
            ) from None
        return self

    def __exit__(self, *_):
        self.stop()

    def get(self, path: str, *, method: str = "GET") -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self) -> tuple[int, str]:
        """SIGTERM, then the exit code and everything it printed."""
        if self.process is None:
            return 0, ""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            output, _ = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, _ = self.process.communicate()
        code, self.process = self.process.returncode, None
        return code, output
