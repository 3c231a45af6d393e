"""Locust event hooks every scenario shares: the command-line options, the target environment's hosts
and scale, and the SLO gate with its JSON summary when locust quits.

Scenario files import this module; Python imports it once however many scenarios a run loads, so
each hook is registered once. Every option also reads an environment variable (LOADTEST_*), so a
wrapper can set them without touching the command line.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from locust import events
from locust.runners import MasterRunner, WorkerRunner

from loadtests import credentials, slo, summary, targets

SLO_BREACH_EXIT_CODE = 3
log = logging.getLogger("loadtests")


@events.init_command_line_parser.add_listener
def _options(parser, **_):
    group = parser.add_argument_group("voiceplat load tests")
    group.add_argument(
        "--target-env",
        env_var="LOADTEST_ENV",
        default=None,
        help="loadtests/environments/<name>.toml: the hosts and SLOs of the run; no SLO gate without it",
    )
    group.add_argument(
        "--users-scale",
        env_var="LOADTEST_USERS_SCALE",
        type=float,
        default=None,
        help="multiply the shape's users and spawn rates (default: the environment's users_scale)",
    )
    group.add_argument(
        "--time-scale",
        env_var="LOADTEST_TIME_SCALE",
        type=float,
        default=1.0,
        help="multiply the shape's stage end times (0.1 runs a 60 s shape in 6 s)",
    )
    group.add_argument(
        "--in-cluster",
        env_var="LOADTEST_IN_CLUSTER",
        action="store_true",
        default=False,
        help="use the environment's cluster_hosts (locust runs in pods)",
    )
    group.add_argument(
        "--host-header",
        env_var="LOADTEST_HOST_HEADER",
        default=None,
        help="Host header of every request: an Ingress host the machine does not resolve (kind)",
    )
    group.add_argument(
        "--summary-json",
        env_var="LOADTEST_SUMMARY_JSON",
        default=None,
        help="write the run's summary and SLO verdict to this JSON file",
    )


@events.init.add_listener
def _apply_target(environment, **_):
    options = environment.parsed_options
    if options is None:
        return
    for name in ("users_scale", "time_scale"):
        value = getattr(options, name)
        if value is not None and value <= 0:
            raise SystemExit(f"--{name.replace('_', '-')} {value}: give a positive factor (1 = the shape as written)")
    if options.host_header:
        for user_class in environment.user_classes:
            # FastHttpUser sends default_headers with every request.
            user_class.default_headers = {
                **(getattr(user_class, "default_headers", None) or {}),
                "Host": options.host_header,
            }
    if not options.target_env:
        return
    target = targets.load(options.target_env)
    environment.target = target
    if options.users_scale is None:
        options.users_scale = target.users_scale
    hosts = target.cluster_hosts if options.in_cluster else target.hosts
    # --host / LOCUST_HOST wins over the file for every user class (the e2e passes its NodePort URL).
    if not environment.host:
        for user_class in environment.user_classes:
            surface = getattr(user_class, "surface", None)
            if surface not in hosts:
                raise SystemExit(
                    f"{user_class.__name__} tests surface {surface!r}, which "
                    f"loadtests/environments/{target.name}.toml has no [hosts] entry for"
                )
            user_class.host = hosts[surface]


@events.init.add_listener
def _require_credentials(environment, **_):
    if isinstance(environment.runner, MasterRunner):
        return  # the master sends no requests; its workers check for themselves
    needed = credentials.missing(environment.user_classes)
    if needed:
        lines = [f"  {variable} (needed by {', '.join(sorted(users))})" for variable, users in sorted(needed.items())]
        raise SystemExit(
            "credentials missing from the environment; export them (never commit them):\n" + "\n".join(lines)
        )


@events.quitting.add_listener
def _gate(environment, **_):
    if isinstance(environment.runner, WorkerRunner):
        return  # the master holds the aggregated statistics and judges the run
    stats = [
        to_endpoint_stats(f"{method} {name}", entry)
        for (name, method), entry in sorted(environment.stats.entries.items())
    ]
    target = getattr(environment, "target", None)
    breaches = slo.evaluate(target.slos, stats) if target else []
    if target is None:
        log.warning("no --target-env given: the SLO gate is skipped")
    for breach in breaches:
        log.error(breach.message())
    if breaches:
        raise_exit_code(environment, SLO_BREACH_EXIT_CODE)
    elif target:
        log.info("SLO gate passed: %d endpoint(s) within loadtests/environments/%s.toml", len(stats), target.name)
    options = environment.parsed_options
    if options is not None and options.summary_json:
        shape = environment.shape_class
        hosts = sorted({environment.host or user_class.host or "" for user_class in environment.user_classes})
        report = summary.build(
            stats,
            to_endpoint_stats("all", environment.stats.total),
            target=target.name if target else None,
            breaches=breaches,
            hosts=hosts,
            shape=type(shape).__name__ if shape else None,
        )
        Path(options.summary_json).write_text(json.dumps(report, indent=2) + "\n")


def to_endpoint_stats(key: str, entry) -> slo.EndpointStats:
    """One of locust's StatsEntry objects in the SLO check's terms."""
    return slo.EndpointStats(
        key=key,
        requests=entry.num_requests,
        failures=entry.num_failures,
        p50_ms=entry.get_response_time_percentile(0.50) or 0.0,
        p95_ms=entry.get_response_time_percentile(0.95) or 0.0,
        p99_ms=entry.get_response_time_percentile(0.99) or 0.0,
        rps=entry.total_rps,
    )


def raise_exit_code(environment, code: int) -> None:
    """Set locust's exit code to at least `code`: a check never lowers what another check set."""
    environment.process_exit_code = max(environment.process_exit_code or 0, code)
