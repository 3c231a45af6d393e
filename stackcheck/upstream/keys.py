"""Values keys a chart does not have: every path of the values a release passes that is absent from the
chart's own values.yaml (its subcharts' under their name or alias, `global` everywhere), except below a key
whose default is an empty map or that the templates take whole (`toYaml`, `range`, `tpl`, `omit`, `merge`):
those are free-form. A key values.yaml leaves out that a template takes whole is the chart's too (temporal's
server.dynamicConfig)."""

import json
import re
from pathlib import Path

import yaml


def schema_keys(schema: dict) -> dict:
    """The values a chart's JSON schema declares, nested as values.yaml nests them (a declared key without
    properties of its own is free-form: an empty map). Charts leave some keys commented out in values.yaml
    (nginx-ingress's controller.topologySpreadConstraints) that their schema and templates take."""
    return {
        key: schema_keys(sub) if isinstance(sub, dict) else {} for key, sub in (schema.get("properties") or {}).items()
    }


def with_declared(defaults: dict, declared: dict) -> dict:
    """`defaults` plus the declared keys it lacks; a default that is an empty map stays free-form."""
    result = dict(defaults)
    for key, sub in declared.items():
        if key not in result:
            result[key] = sub
        elif isinstance(result[key], dict) and result[key]:
            result[key] = with_declared(result[key], sub)
    return result


def chart_defaults(folder: Path) -> dict:
    """The chart's values.yaml, over the keys its values.schema.json declares, with each subchart's defaults nested
    under its name (or alias)."""
    defaults = yaml.safe_load((folder / "values.yaml").read_text()) or {} if (folder / "values.yaml").is_file() else {}
    if (folder / "values.schema.json").is_file():
        defaults = with_declared(defaults, schema_keys(json.loads((folder / "values.schema.json").read_text())))
    meta = yaml.safe_load((folder / "Chart.yaml").read_text()) or {}
    aliases = {dep["name"]: dep.get("alias") or dep["name"] for dep in meta.get("dependencies") or []}
    for manifest in folder.glob("charts/*/Chart.yaml"):
        name = (yaml.safe_load(manifest.read_text()) or {}).get("name")
        key = aliases.get(name, name)
        sub = chart_defaults(manifest.parent)
        defaults[key] = merge(sub, defaults.get(key) or {}) if isinstance(defaults.get(key), dict) else sub
    return defaults


def template_text(folder: Path) -> str:
    return "\n".join(
        path.read_text(errors="replace")
        for path in folder.rglob("*")
        if path.suffix in (".yaml", ".tpl", ".yml", ".txt") and "templates" in path.parts
    )


def merge(base: dict, override: dict) -> dict:
    result = dict(base)
    for key, value in override.items():
        result[key] = (
            merge(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) else value
        )
    return result


def taken_whole(templates: str, path: tuple[str, ...]) -> bool:
    """Whether a template passes `.Values.<path>` (or a `with` of it) whole to toYaml, range or tpl."""
    dotted = re.escape("." + ".".join(path))
    takers = "toYaml|range|tpl|with|toJson|include|omit|merge|mergeOverwrite|deepCopy"
    whole = rf"({takers})\b[^}}]*\.Values{dotted}(?![\w.])"
    return (
        re.search(whole, templates) is not None
        or re.search(rf"\.Values{dotted}\s*\|\s*(toYaml|toJson)", templates) is not None
    )


def unknown_keys(values: dict, defaults: dict, templates: str, path: tuple[str, ...] = ()) -> list[str]:
    """Dotted paths of `values` the chart has no default for (see the module's docstring)."""
    found = []
    for key, value in values.items():
        here = (*path, str(key))
        if key == "global" and not path:
            continue  # shared with every subchart; charts read globals they do not declare
        if key not in defaults:
            if not taken_whole(templates, here):
                found.append(".".join(here))
            continue
        default = defaults[key]
        if isinstance(value, dict) and isinstance(default, dict) and default and not taken_whole(templates, here):
            found += unknown_keys(value, default, templates, here)
    return found
