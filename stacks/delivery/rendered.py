"""What the project's charts render for an environment, read at synth time with the pinned helm.

prometheus-adapter's rules and the service accounts that need a cloud identity come from the charts
themselves (`helm template` with the environment's values files), so the stack cannot drift from them.
Rendering needs the pinned helm that `make tools` builds (found by contract.tools, like every tool).
"""

import functools
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor

import yaml
from cdktf import Token

from contract import tools

from ..environments import Environment
from ..environments.errors import ConfigError
from .environment_values import environment_values
from .project_charts import CHARTS_DIR, PROJECT_CHARTS, chart_values_files


def helm_binary() -> str:
    try:
        return tools.tool("helm")
    except tools.ToolMissing as missing:
        raise ConfigError(
            "delivery.helm", f"{missing.problem}; the stacks render the charts' adapter rules with it", missing.fix
        ) from None


def render(environment: Environment, chart: str, placeholders: dict) -> list[dict]:
    """Every object `chart` renders with the environment's values files (+ placeholder identity values)."""
    files = [arg for path in chart_values_files(environment, chart) for arg in ("--values", str(path))]
    with tempfile.NamedTemporaryFile("w", suffix=".yaml") as generated:
        generated.write(yaml.safe_dump(environment_values(environment)))
        generated.flush()
        result = subprocess.run(
            [
                helm_binary(),
                "template",
                chart,
                str(CHARTS_DIR / chart),
                *files,
                "--values",
                generated.name,
                "--values",
                "-",
            ],
            input=yaml.safe_dump(placeholders),
            capture_output=True,
            text=True,
        )
    if result.returncode != 0:
        message = "\n".join(line for line in result.stderr.splitlines() if "symbolic link" not in line)
        raise ConfigError(
            f"charts.{chart}",
            f"helm template failed for {environment.name}: {message.strip()}",
            f"fix charts/{chart} or the values files {environment.name} names",
        )
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


@functools.cache
def _rendered(environment: Environment, placeholders_yaml: str) -> dict[str, list[dict]]:
    placeholders = yaml.safe_load(placeholders_yaml)
    with ThreadPoolExecutor(max_workers=len(PROJECT_CHARTS)) as pool:
        return dict(
            zip(
                PROJECT_CHARTS,
                pool.map(lambda chart: render(environment, chart, placeholders), PROJECT_CHARTS),
                strict=True,
            )
        )


STAND_IN = "synth-time-stand-in"


def stand_ins(values):
    """`values` with every token (known only when Terraform runs) replaced by a plain string."""
    if isinstance(values, dict) or hasattr(values, "items"):
        return {key: stand_ins(value) for key, value in values.items()}
    if isinstance(values, (list, tuple)):
        return [stand_ins(value) for value in values]
    return STAND_IN if isinstance(values, str) and Token.is_unresolved(values) else values


def rendered(environment: Environment, placeholders: dict) -> dict[str, list[dict]]:
    """chart -> its rendered objects. `placeholders` stand in for values that are tokens at synth time
    (a role ARN, a client id): they satisfy the charts' checks and never reach the cluster."""
    return _rendered(environment, yaml.safe_dump(placeholders, sort_keys=True))


def adapter_rules(environment: Environment, placeholders: dict) -> dict[str, list]:
    """prometheus-adapter's `rules` and `externalRules`, every chart's, repeats dropped (charts agree on them)."""
    merged = {"rules": [], "externalRules": []}
    for chart, objects in rendered(environment, placeholders).items():
        for obj in objects:
            if obj.get("kind") == "ConfigMap" and obj["metadata"]["name"] == f"{chart}-adapter-rules":
                document = yaml.safe_load(obj["data"]["rules.yaml"]) or {}
                for key in merged:
                    merged[key] += [rule for rule in document.get(key) or [] if rule not in merged[key]]
    return merged


def service_accounts(environment: Environment, placeholders: dict) -> list[str]:
    """Names of the ServiceAccounts the charts create (each needs the cloud identity federated to it)."""
    return sorted(
        {
            obj["metadata"]["name"]
            for objects in rendered(environment, placeholders).values()
            for obj in objects
            if obj.get("kind") == "ServiceAccount"
        }
    )
