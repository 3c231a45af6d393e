"""The stand-in workload (images/standin): the kind cluster's REST API in the e2e, and the loopback
benchmark. Mostly CPU-costly /work calls, so an HPA on CPU sees the load, plus the cheap reads a
client makes.

    locust -f loadtests/scenarios/standin.py --host http://127.0.0.1:30080 --headless -u 20 -r 5 -t 2m
"""

from locust import FastHttpUser, constant_throughput, events, task

from loadtests import gate  # noqa: F401  (registers the shared options, hosts and SLO gate)
from loadtests.checks import expect


@events.init_command_line_parser.add_listener
def _options(parser, **_):
    group = parser.add_argument_group("stand-in scenario")
    group.add_argument(
        "--work-ms",
        env_var="LOADTEST_WORK_MS",
        type=int,
        default=10,
        help="CPU milliseconds each /work request burns in the stand-in (0..10000)",
    )
    group.add_argument(
        "--user-rps",
        env_var="LOADTEST_USER_RPS",
        type=float,
        default=2.0,
        help="requests per second each user aims at; 0 = as fast as it can (the benchmark)",
    )


class StandinUser(FastHttpUser):
    surface = "standin"

    def wait_time(self):
        # Constant throughput per user, so users x user_rps is the offered load whatever the latency
        # (constant_throughput keeps its pacing state on the user, so a fresh wrapper per call is fine).
        rate = self.environment.parsed_options.user_rps
        return constant_throughput(rate)(self) if rate else 0

    def on_start(self):
        # A client first asks whom it talks to and whether it is ready, so every run reads each route
        # at least once, however short (the weighted picks below are random).
        self.identity()
        self.readiness()

    @task(8)
    def work(self):
        ms = self.environment.parsed_options.work_ms
        with self.client.get(f"/work?ms={ms}", name="/work?ms=[ms]", catch_response=True) as response:
            expect(response, 200, keys=("cpu_ms",))

    @task(1)
    def identity(self):
        with self.client.get("/", name="/", catch_response=True) as response:
            expect(response, 200, keys=("service", "hostname"))

    @task(1)
    def readiness(self):
        with self.client.get("/readyz", name="/readyz", catch_response=True) as response:
            expect(response, 200)
