"""Service-level objectives as data, and the check that compares a run's statistics with them.

Pure Python (no locust import), so it is unit-tested on its own; `gate.py` feeds it locust's stats
when locust quits. An environment's objectives come from its data file (`environments/<env>.toml`):

    [slos.default]                     # applies to every endpoint without its own entry
    p95_ms = 500
    p99_ms = 1000
    error_ratio = 0.01
    [slos.endpoints."GET /work?ms=[ms]"]   # "<METHOD> <name>", the name= a task reports under
    p95_ms = 300                       # keys left out fall back to the default
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

OBJECTIVE_KEYS = ("p95_ms", "p99_ms", "error_ratio")


class SloDataError(ValueError):
    """The SLO table of an environment file is malformed."""


@dataclass(frozen=True)
class Objective:
    """Limits for one endpoint; None means "no limit on this figure"."""

    p95_ms: float | None = None
    p99_ms: float | None = None
    error_ratio: float | None = None

    def merged_over(self, default: Objective) -> Objective:
        return Objective(**{f.name: _first_set(getattr(self, f.name), getattr(default, f.name)) for f in fields(self)})


@dataclass(frozen=True)
class SloTable:
    default: Objective
    endpoints: Mapping[str, Objective]

    def for_endpoint(self, key: str) -> Objective:
        own = self.endpoints.get(key)
        return own.merged_over(self.default) if own else self.default


@dataclass(frozen=True)
class EndpointStats:
    """What a run measured for one endpoint (`key` is "<METHOD> <name>")."""

    key: str
    requests: int
    failures: int
    p95_ms: float
    p99_ms: float
    # Reported in the summary, not judged.
    p50_ms: float = 0.0
    rps: float = 0.0

    @property
    def error_ratio(self) -> float:
        return self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class Breach:
    endpoint: str
    figure: str
    limit: float
    observed: float
    detail: str = ""

    def message(self) -> str:
        if self.figure == "error_ratio":
            over = f"over by {(self.observed - self.limit) * 100:.2f} points"
            return (
                f"SLO breached: {self.endpoint} error ratio {self.observed:.2%} > {self.limit:.2%} "
                f"({over}; {self.detail})"
            )
        if self.figure == "requests":
            return f"SLO breached: {self.endpoint}: {self.detail}"
        excess = self.observed - self.limit
        relative = f", +{excess / self.limit:.0%}" if self.limit else ""
        percentile = self.figure.removesuffix("_ms")
        return (
            f"SLO breached: {self.endpoint} {percentile} {self.observed:.0f} ms > {self.limit:.0f} ms "
            f"(over by {excess:.0f} ms{relative})"
        )


def table_from_data(data: Mapping, *, where: str) -> SloTable:
    """Build the table from the `[slos]` part of an environment file; `where` names the file in errors."""
    _check_keys(data, ("default", "endpoints"), where=f"{where} [slos]")
    default = _objective(data.get("default", {}), where=f"{where} [slos.default]")
    endpoints = data.get("endpoints", {})
    if not isinstance(endpoints, Mapping):
        raise SloDataError(f'{where} [slos.endpoints] must be a table of "<METHOD> <name>" = {{...}}')
    table = {}
    for key, objective in endpoints.items():
        if len(key.split(" ", 1)) != 2:
            raise SloDataError(
                f'{where} [slos.endpoints."{key}"]: write the key as "<METHOD> <name>", '
                f'e.g. "GET /v1/agents/[id]", as locust\'s statistics name it'
            )
        table[key] = _objective(objective, where=f'{where} [slos.endpoints."{key}"]')
    return SloTable(default=default, endpoints=table)


def evaluate(table: SloTable, stats: Iterable[EndpointStats]) -> list[Breach]:
    """Every objective the run missed; an empty list means the run met them all."""
    stats = list(stats)
    if sum(s.requests for s in stats) == 0:
        return [
            Breach(
                "all endpoints",
                "requests",
                1,
                0,
                "no requests were made: check the target host and that the scenario's users ran",
            )
        ]
    breaches = []
    for endpoint in stats:
        if endpoint.requests == 0:
            continue
        objective = table.for_endpoint(endpoint.key)
        for figure in ("p95_ms", "p99_ms"):
            limit = getattr(objective, figure)
            if limit is not None and getattr(endpoint, figure) > limit:
                breaches.append(Breach(endpoint.key, figure, limit, getattr(endpoint, figure)))
        if objective.error_ratio is not None and endpoint.error_ratio > objective.error_ratio:
            breaches.append(
                Breach(
                    endpoint.key,
                    "error_ratio",
                    objective.error_ratio,
                    endpoint.error_ratio,
                    f"{endpoint.failures} of {endpoint.requests} requests failed",
                )
            )
    return breaches


def _objective(data: Mapping, *, where: str) -> Objective:
    if not isinstance(data, Mapping):
        raise SloDataError(f"{where} must be a table with any of {', '.join(OBJECTIVE_KEYS)}")
    _check_keys(data, OBJECTIVE_KEYS, where=where)
    for key, value in data.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise SloDataError(f"{where} {key} = {value!r}: write a non-negative number")
    if "error_ratio" in data and data["error_ratio"] > 1:
        raise SloDataError(f"{where} error_ratio = {data['error_ratio']}: a ratio is at most 1 (0.01 is 1%)")
    return Objective(**{key: float(value) for key, value in data.items()})


def _check_keys(data: Mapping, allowed: tuple[str, ...], *, where: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise SloDataError(f"{where}: unknown key(s) {', '.join(unknown)}; the known keys are {', '.join(allowed)}")


def _first_set(*values):
    return next((v for v in values if v is not None), None)
