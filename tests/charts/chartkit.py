"""The charts' scenarios and how to render them: one place for the chart tests and `make bench-charts`.

A scenario is a chart with an ordered list of values files, layered the way the delivery stack layers an
environment (stacks/delivery/platform_charts.py): the chart's overlays the environment names, the
environment's generated `global` values (stacks/delivery/environment_values.py), then the cluster's identity
values the stack passes (fixtures/identity-<cloud>.yaml: registry, IAM role, Key Vault):
- `<tier>-<cloud>-<region>` for every tier x cloud x region: the catalog environment of that cloud and
  region (stacks/environments/catalog.py) at that tier;
- `preview-aws-eu-west-1-nginx`: the same with NGINX as the ingress class instead of the ALB;
- `ci-<name>`: a chart's ci/<name>-values.yaml alone (the chart-testing convention; ci-local is
  values/env-local.yaml, the local environment's kind cluster, through its ci/ link).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import os
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

import chartsync
from contract import PLATFORM_NAMESPACE, tools
from stacks.delivery.environment_values import environment_values
from stacks.delivery.project_charts import chart_values_files
from stacks.environments import ENVIRONMENTS, Cloud, Environment, Tier
from stacks.environments.catalog import TLS_CERTIFICATE

ROOT = Path(__file__).resolve().parents[2]
CHARTS_DIR = ROOT / "charts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
CHARTS = chartsync.SERVICE_CHARTS
TIERS = ("preview", "prod")
# Every region of the catalog's cloud environments, rendered at every tier.
CLOUD_REGIONS = {
    cloud.value: tuple(sorted({env.region for env in ENVIRONMENTS.values() if env.cloud is cloud}))
    for cloud in Cloud
    if cloud is not Cloud.LOCAL
}
# The one golden file per chart: ci/full-values.yaml turns every feature on at once, so a whole-manifest diff
# of it shows what a template change does; per-template claims live in charts/<chart>/tests (helm-unittest).
SNAPSHOT_SCENARIO = "ci-full"
# Helm warns on every run that charts/<chart>/charts/voiceplat-lib is a symlink; it is one on purpose
# (the library is used in place, no `helm dependency build` step).
SYMLINK_WARNING = "found symbolic link in path"
# helm runs as separate processes; more than the machine's cores only adds contention.
WORKERS = min(4, os.cpu_count() or 1)
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml parses the renders several times faster


@dataclass(frozen=True)
class Scenario:
    chart: str
    name: str
    values: tuple[Path, ...]

    @property
    def id(self) -> str:
        return f"{self.chart}/{self.name}"

    @property
    def chart_dir(self) -> Path:
        return CHARTS_DIR / self.chart

    def helm_args(self) -> list[str]:
        args = []
        for path in self.values:
            args += ["-f", str(path)]
        return args

    @property
    def snapshot(self) -> Path:
        return SNAPSHOTS / self.chart / f"{self.name}.yaml"


def cell(tier: str, cloud: str, region: str, ingress_class: str = "") -> Environment:
    """The catalog's environment in `cloud` and `region`, at `tier` (and with another ingress class)."""
    here = [env for env in ENVIRONMENTS.values() if env.cloud.value == cloud and env.region == region]
    base = next((env for env in here if env.tier.value == tier), here[0])
    ingress = dataclasses.replace(base.ingress, class_name=ingress_class or base.ingress.class_name)
    if ingress_class == "nginx":  # nginx reads the certificate from a Secret synced from the store
        ingress = dataclasses.replace(ingress, tls_certificate=TLS_CERTIFICATE)
    return dataclasses.replace(
        base,
        tier=Tier(tier),
        ingress=ingress,
        values_files=(f"values/ingress-{ingress.class_name}.yaml", f"values/env-{tier}.yaml"),
    )


@functools.cache
def _generated_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="voiceplat-environment-values-"))


def layered(chart: str, environment: Environment, name: str) -> tuple[Path, ...]:
    """The files a release of `chart` gets in `environment`, with the generated values written to a file."""
    generated = _generated_dir() / f"{name}.yaml"
    if not generated.exists():
        generated.write_text(yaml.safe_dump(environment_values(environment), sort_keys=False))
    return (*chart_values_files(environment, chart), generated, FIXTURES / f"identity-{environment.cloud.value}.yaml")


def scenarios(chart: str) -> list[Scenario]:
    found = []
    for tier, (cloud, regions) in itertools.product(TIERS, CLOUD_REGIONS.items()):
        for region in regions:
            name = f"{tier}-{cloud}-{region}"
            found.append(Scenario(chart, name, layered(chart, cell(tier, cloud, region), name)))
    name = "preview-aws-eu-west-1-nginx"
    found.append(Scenario(chart, name, layered(chart, cell("preview", "aws", "eu-west-1", "nginx"), name)))
    for ci_file in sorted((CHARTS_DIR / chart / "ci").glob("*-values.yaml")):
        found.append(Scenario(chart, "ci-" + ci_file.name.removesuffix("-values.yaml"), (ci_file,)))
    return found


def all_scenarios() -> list[Scenario]:
    return [scenario for chart in CHARTS for scenario in scenarios(chart)]


def snapshot_scenarios() -> list[Scenario]:
    return [s for s in all_scenarios() if s.name == SNAPSHOT_SCENARIO]


tool = tools.tool  # the pinned tools, found the one way every layer finds them


def helm(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Runs helm; stderr without the symlink warning. Never raises on a non-zero exit."""
    result = subprocess.run([tool("helm"), *args], cwd=cwd, capture_output=True, text=True)
    stderr = "\n".join(line for line in result.stderr.splitlines() if SYMLINK_WARNING not in line)
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout, stderr)


def template_args(scenario: Scenario, *extra: str) -> list[str]:
    return [
        "template",
        scenario.chart,
        str(scenario.chart_dir),
        "--namespace",
        PLATFORM_NAMESPACE,
        *scenario.helm_args(),
        *extra,
    ]


def render(scenario: Scenario, *extra: str) -> str:
    """`helm template` output of a scenario; raises with helm's message when the render fails."""
    result = helm(*template_args(scenario, *extra))
    if result.returncode != 0:
        raise RuntimeError(f"helm template {scenario.id} failed:\n{result.stderr}")
    return result.stdout


def render_many(items: list[Scenario], workers: int | None = None) -> dict[Scenario, str]:
    """Renders in parallel (helm is a separate process per render); at most as many as there are CPUs."""
    workers = workers or WORKERS
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(items, pool.map(render, items), strict=True))


def documents(manifest: str) -> list[dict]:
    return [doc for doc in yaml.load_all(manifest, Loader=LOADER) if doc]


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    """name -> object, for the objects of one kind."""
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}


def hooks(doc: dict) -> str:
    return doc.get("metadata", {}).get("annotations", {}).get("helm.sh/hook", "")


def pod_spec(doc: dict) -> dict | None:
    """The pod spec inside a workload (Deployment, Job, CronJob, Pod), or None."""
    kind = doc["kind"]
    if kind == "Pod":
        return doc["spec"]
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return doc["spec"]["template"]["spec"]
    if kind == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return None


def load(path: Path) -> dict:
    return yaml.load(path.read_text(), Loader=LOADER) or {}


def chart_values(chart: str, name: str = "values.yaml") -> dict:
    return load(CHARTS_DIR / chart / name)


def render_addon(addon, environment: Environment) -> list[dict]:
    """The objects of one of the project's add-on charts (helm_addons.Addon with a `chart`), rendered with the values
    the stack generates for `environment`."""
    import json

    from stacks.delivery.facts import ClusterFacts
    from stacks.delivery.helm_addons import generated_values

    values = generated_values(addon, environment, ClusterFacts())
    with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        json.dump(values, file)
        file.flush()
        result = helm("template", addon.name, str(addon.chart), "--namespace", addon.namespace, "--values", file.name)
    if result.returncode != 0:
        raise RuntimeError(f"helm template {addon.name} for {environment.name} failed:\n{result.stderr}")
    return documents(result.stdout)
