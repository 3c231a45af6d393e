"""The JSON summary of a run: what CI and the release notes read instead of parsing locust's CSVs."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime

from loadtests.slo import Breach, EndpointStats


def build(
    endpoints: list[EndpointStats],
    total: EndpointStats,
    *,
    target: str | None,
    breaches: list[Breach],
    hosts: list[str],
    shape: str | None,
) -> dict:
    def figures(stats: EndpointStats) -> dict:
        return {**asdict(stats), "error_ratio": round(stats.error_ratio, 6), "rps": round(stats.rps, 2)}

    return {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "environment": target,
        "hosts": hosts,
        "shape": shape,
        "total": figures(total),
        "endpoints": [figures(e) for e in endpoints],
        "slo": {
            "checked": target is not None,
            "passed": target is not None and not breaches,
            "breaches": [{**asdict(b), "message": b.message()} for b in breaches],
        },
    }
