"""The local stack's extra chart values (contract.settings.LOCAL_VALUES: project chart name -> values, given to that
chart last), read and checked at synth, before anything is planned or applied.

Each chart's values are checked as Helm would check them: the chart's values.yaml, the environment's overlays of
it, the generated environment values and the file's values merged the way Helm merges them (maps key by key, a
null removes the key, anything else replaces), then validated against the chart's strict values.schema.json. A
bad value is refused naming the file, the chart, the key and the schema's complaint; the charts' lint during the
plan (platform_charts.py) stays the last word. Plain Python (no cdktf): the runner checks the file with it too.
"""

import functools
import json
from collections.abc import Mapping
from pathlib import Path

import yaml
from jsonschema import Draft7Validator
from jsonschema.exceptions import best_match

from contract import settings

from ..environments import ConfigError, Environment
from .environment_values import environment_values
from .project_charts import CHARTS_DIR, PROJECT_CHARTS, chart_defaults, chart_values_files


def read_local_values(path: Path, environment: Environment) -> dict[str, dict]:
    """The file's values per project chart, each checked against its chart's schema; ConfigError otherwise."""
    where = f"{settings.LOCAL_VALUES.name} ({path})"
    try:
        document = yaml.safe_load(path.read_text())
    except OSError as error:
        raise ConfigError(where, f"cannot be read ({error.strerror})", "name a readable YAML file") from None
    except yaml.YAMLError as error:
        raise ConfigError(where, f"is not YAML: {' '.join(str(error).split())}", "fix the YAML syntax") from None
    shape = (
        f"key the values by project chart, e.g. `platform: {{services: {{rest-api: {{replicas: 2}}}}}}`; "
        f"the project charts are {', '.join(PROJECT_CHARTS)}"
    )
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise ConfigError(where, f"holds a {yaml_type(document)}, not a mapping of project chart -> values", shape)
    unknown = [str(name) for name in document if name not in PROJECT_CHARTS]
    if unknown:
        raise ConfigError(where, f"names {', '.join(map(repr, unknown))}, not a project chart", shape)
    overrides, problems = {}, []
    for chart, values in document.items():
        if values is None:
            continue
        if not isinstance(values, dict):
            raise ConfigError(where, f"gives chart {chart} a {yaml_type(values)}, not a mapping of values", shape)
        overrides[chart] = values
        problems += [f"chart {chart}: {problem}" for problem in schema_problems(chart, environment, values)]
    if problems:
        raise ConfigError(
            where,
            "values the charts' schemas refuse:\n  " + "\n  ".join(problems),
            "correct these keys in the file (each chart's values.yaml documents its keys)",
        )
    return overrides


def schema_problems(chart: str, environment: Environment, override: Mapping) -> list[str]:
    """The schema's complaints about the chart's merged values with `override` given last, one per bad key."""
    merged = helm_merge(chart_defaults(chart), *layers(chart, environment), override)
    problems = []
    for error in sorted(validator(chart).iter_errors(merged), key=lambda e: list(map(str, e.absolute_path))):
        error = best_match([error])
        key = ".".join(str(part) for part in error.absolute_path) or "(top level)"
        problems.append(f"at {key}: {error.message} (charts/{chart}/values.schema.json)")
    return problems


def layers(chart: str, environment: Environment) -> list[Mapping]:
    """What the release gives the chart before the local values: its overlays, then the generated globals."""
    files = [yaml.safe_load(path.read_text()) or {} for path in chart_values_files(environment, chart)]
    return [*files, environment_values(environment)]


def helm_merge(base: Mapping, *overrides: Mapping) -> dict:
    """Helm's coalescing of values: maps merge key by key, null removes a key, any other value replaces."""
    result = dict(base)
    for override in overrides:
        for key, value in override.items():
            if value is None:
                result.pop(key, None)
            elif isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
                result[key] = helm_merge(result[key], value)
            else:
                result[key] = value
    return result


@functools.cache
def validator(chart: str) -> Draft7Validator:
    return Draft7Validator(json.loads((CHARTS_DIR / chart / "values.schema.json").read_text()))


def yaml_type(value) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(
        type(value), type(value).__name__
    )
