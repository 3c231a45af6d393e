"""temporal-worker-python on kind: a Temporal worker (the temporalio SDK) polling TEMPORAL_TASK_QUEUE at
TEMPORAL_ADDRESS, whose activity does the stand-in's work (CPU time) and reports the pod that ran it, beside the
platform's service contract on PORT: / (JSON naming the service and the pod, as every service answers), /healthz,
/readyz (ready once connected to Temporal), /metrics, and the stand-in's /call?target=T (a GET on another service over
a new connection, reported as JSON: how the e2e suite checks what this pod may reach)."""

import asyncio
import hashlib
import json
import os
import re
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

from standin_workflow import ACTIVITY_NAME, StandinWorkflow

MAX_WORK_MS = 10_000
CALL_TIMEOUT_S = 5  # the stand-in's /call bound
BODY_SUMMARY_BYTES = 512  # how much of the other service's answer /call echoes back, as the stand-in's
HOSTNAME = socket.gethostname()
SERVICE = os.environ.get("SERVICE_NAME", "temporal-worker-python")
STATE = {"connected": False, "activities": 0}


def setting(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if not value:
        sys.exit(f"temporal-worker-python: {name} is not set: the chart gives it (services.<name>.env)")
    return value


def shutdown_timeout() -> timedelta:
    """SHUTDOWN_TIMEOUT as the stand-in reads it (whole seconds here: `6s`): how long the activities in hand get to
    finish after SIGTERM. The pod's terminationGracePeriodSeconds should exceed it."""
    raw = setting("SHUTDOWN_TIMEOUT", "20s")
    match = re.fullmatch(r"(\d+)s", raw)
    if not match:
        sys.exit(f"temporal-worker-python: SHUTDOWN_TIMEOUT={raw!r} is not whole seconds: write it like 20s")
    return timedelta(seconds=int(match[1]))


@activity.defn(name=ACTIVITY_NAME)
def standin_activity(work: dict) -> dict:
    """Waits wait_ms of wall time (as an activity calling a model or an API does), then burns work_ms of this
    thread's CPU time, as the stand-in's /work does, and names the pod: the Go stand-in's activity."""
    ms, wait_ms = int(work.get("work_ms", 0)), int(work.get("wait_ms", 0))
    if not (0 <= ms <= MAX_WORK_MS and 0 <= wait_ms <= MAX_WORK_MS):
        raise ValueError(f"work_ms={ms}, wait_ms={wait_ms}: each is from 0 to {MAX_WORK_MS}")
    time.sleep(wait_ms / 1000)
    begin = time.thread_time()
    block = b"\0" * 32
    while time.thread_time() - begin < ms / 1000:
        for _ in range(200):
            block = hashlib.sha256(block).digest()
    STATE["activities"] += 1
    spent = (time.thread_time() - begin) * 1000
    return {"worker": HOSTNAME, "service": SERVICE, "language": "python", "cpu_ms": round(spent, 3)}


def call(target: str) -> tuple[int, dict]:
    """GET another service as the stand-in's /call does: 200 with its report when it answered 2xx, 502 otherwise.
    urllib opens a new connection per request, so a NetworkPolicy's refusal is seen, never a reused connection."""
    url = target if "://" in target else f"http://{target}"
    report: dict = {"url": url, "upstream_status": 0, "body_bytes": 0}
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=CALL_TIMEOUT_S) as answer:
            status, body = answer.status, answer.read()
    except urllib.error.HTTPError as answer:
        status, body = answer.code, answer.read()
    except (OSError, ValueError) as error:
        report.update(elapsed_ms=round((time.monotonic() - start) * 1000, 3), error=str(error))
        return 502, report
    report.update(
        upstream_status=status,
        body=body[:BODY_SUMMARY_BYTES].decode(errors="replace"),
        body_bytes=len(body),
        elapsed_ms=round((time.monotonic() - start) * 1000, 3),
    )
    return (200 if 200 <= status <= 299 else 502), report


class Contract(BaseHTTPRequestHandler):
    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/call":
            target = urllib.parse.parse_qs(query).get("target", [""])[0]
            if not target:
                self.answer(400, "target is missing: call /call?target=<service>:<port>\n")
                return
            status, report = call(target)
            self.answer(status, json.dumps(report) + "\n", "application/json")
        elif self.path == "/":
            self.answer(200, json.dumps({"service": SERVICE, "hostname": HOSTNAME}) + "\n", "application/json")
        elif self.path == "/healthz":
            self.answer(200, "ok\n")
        elif self.path == "/readyz":
            ready = STATE["connected"]
            self.answer(200 if ready else 503, "ready\n" if ready else "not connected to Temporal yet\n")
        elif self.path == "/metrics":
            self.answer(
                200,
                "# HELP standin_temporal_activities_total Activities this worker completed.\n"
                "# TYPE standin_temporal_activities_total counter\n"
                f"standin_temporal_activities_total {STATE['activities']}\n"
                "# HELP standin_temporal_connected Whether the worker is connected to Temporal.\n"
                "# TYPE standin_temporal_connected gauge\n"
                f"standin_temporal_connected {int(STATE['connected'])}\n",
                "text/plain; version=0.0.4",
            )
        else:
            self.answer(404, f"{self.path} is not served: /, /healthz, /readyz, /metrics, /call\n")

    def answer(self, status: int, body: str, content_type: str = "text/plain") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Service", SERVICE)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # probes every two seconds: no access log
        pass


async def exit_on_fatal_error(error: BaseException) -> None:
    """The SDK stops the worker on a poll error it deems fatal (a restarting Temporal server answers polls with
    InvalidArgument for a moment), and the shutdown that follows can wait on that server for good: the process would
    stay up, ready, with nothing polling its task queue and its workflows waiting forever. It exits instead, so the
    kubelet starts it again (with its own back-off) and the worker polls once more."""
    print(f"temporal-worker-python: the worker failed ({error!r}): exiting to be restarted", flush=True)
    os._exit(1)


async def main() -> None:
    address, queue = setting("TEMPORAL_ADDRESS"), setting("TEMPORAL_TASK_QUEUE")
    namespace = setting("TEMPORAL_NAMESPACE", "default")
    grace = shutdown_timeout()
    port = int(setting("PORT", "8080"))
    http = ThreadingHTTPServer(("", port), Contract)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    print(f"temporal-worker-python {HOSTNAME}: serving :{port}, polling {queue} at {address} ({namespace})", flush=True)
    while True:
        try:
            client = await Client.connect(address, namespace=namespace, identity=HOSTNAME)
            break
        except RuntimeError as error:  # the frontend may still be starting: retry, not ready meanwhile
            print(f"temporal-worker-python: cannot reach Temporal at {address}: {error}; retrying", flush=True)
            await asyncio.sleep(2)
    STATE["connected"] = True
    with ThreadPoolExecutor(max_workers=4) as pool:
        worker = Worker(
            client,
            task_queue=queue,
            workflows=[StandinWorkflow],
            activities=[standin_activity],
            activity_executor=pool,
            identity=HOSTNAME,
            on_fatal_error=exit_on_fatal_error,
            graceful_shutdown_timeout=grace,
        )
        terminated = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop_gracefully, terminated)
        async with worker:  # leaving it shuts the worker down: no more polls, the activities in hand finish
            await terminated.wait()


def stop_gracefully(terminated: asyncio.Event) -> None:
    """SIGTERM (a scale-down or a rollout): not ready, and the worker stops, giving the activities in hand
    SHUTDOWN_TIMEOUT to finish and report, so none is left for the server to time out and retry."""
    print("temporal-worker-python: SIGTERM: finishing the activities in hand", flush=True)
    STATE["connected"] = False
    terminated.set()


if __name__ == "__main__":
    asyncio.run(main())
