"""The environments a load test can target, read from `environments/<name>.toml` (data, not code).

Each file names the scenarios that make sense there, the base URL of each scenario's surface, how
much to scale the shapes' user counts, and the SLOs (see slo.py). TOML, so the in-cluster locust
image needs nothing beyond the standard library to read it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from loadtests import slo

ENVIRONMENTS_DIR = Path(__file__).parent / "environments"
SCENARIOS_DIR = Path(__file__).parent / "scenarios"
_TOP_KEYS = ("description", "scenarios", "users_scale", "hosts", "cluster_hosts", "slos")


class TargetError(ValueError):
    """An environment is unknown or its data file is malformed."""


@dataclass(frozen=True)
class TargetEnvironment:
    name: str
    description: str
    scenarios: tuple[str, ...]
    # Base URL per scenario, as reached from where locust runs on the command line.
    hosts: Mapping[str, str]
    # The same, as reached from pods inside the cluster (distributed mode); defaults to `hosts`.
    cluster_hosts: Mapping[str, str]
    # Multiplies the shapes' user counts and spawn rates: the shapes are written for preview's size.
    users_scale: float
    slos: slo.SloTable

    def scenario_files(self) -> list[Path]:
        return [SCENARIOS_DIR / f"{scenario}.py" for scenario in self.scenarios]


def known() -> list[str]:
    return sorted(path.stem for path in ENVIRONMENTS_DIR.glob("*.toml"))


def load(name: str) -> TargetEnvironment:
    if not name:
        raise TargetError(
            f"no load-test environment given: name one of {', '.join(known())} "
            f"(make loadtest ENV=<name>, or --env / --target-env)"
        )
    path = ENVIRONMENTS_DIR / f"{name}.toml"
    if not path.is_file():
        raise TargetError(
            f"no load-test environment {name!r}: add loadtests/environments/{name}.toml "
            f"or pick one of {', '.join(known())}"
        )
    where = f"loadtests/environments/{path.name}"
    try:
        data = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as error:
        raise TargetError(f"{where} is not valid TOML: {error}") from None
    return _from_data(name, data, where=where)


def _from_data(name: str, data: Mapping, *, where: str) -> TargetEnvironment:
    unknown = sorted(set(data) - set(_TOP_KEYS))
    if unknown:
        raise TargetError(f"{where}: unknown key(s) {', '.join(unknown)}; the known keys are {', '.join(_TOP_KEYS)}")
    scenarios = tuple(data.get("scenarios", ()))
    if not scenarios:
        raise TargetError(f'{where}: list the scenarios to run, e.g. scenarios = ["rest"]')
    available = sorted(p.stem for p in SCENARIOS_DIR.glob("*.py") if not p.stem.startswith("_"))
    for scenario in scenarios:
        if scenario not in available:
            raise TargetError(
                f"{where}: scenario {scenario!r} has no loadtests/scenarios/{scenario}.py; "
                f"the scenarios are {', '.join(available)}"
            )
    hosts = dict(data.get("hosts", {}))
    missing = [scenario for scenario in scenarios if scenario not in hosts]
    if missing:
        raise TargetError(f"{where}: [hosts] lacks a base URL for {', '.join(missing)}")
    cluster_hosts = {**hosts, **data.get("cluster_hosts", {})}
    scale = data.get("users_scale", 1.0)
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or scale <= 0:
        raise TargetError(f"{where}: users_scale = {scale!r}; write a positive number (1.0 = as written)")
    try:
        table = slo.table_from_data(data.get("slos", {}), where=where)
    except slo.SloDataError as error:
        raise TargetError(str(error)) from None
    return TargetEnvironment(
        name=name,
        description=data.get("description", ""),
        scenarios=scenarios,
        hosts=hosts,
        cluster_hosts=cluster_hosts,
        users_scale=float(scale),
        slos=table,
    )
