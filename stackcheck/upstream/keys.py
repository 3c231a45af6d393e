"""Values keys a chart does not have: every path of the values a release passes that is absent from the
chart's own values.yaml (its subcharts' under their name or alias, `global` everywhere), except below a key
whose default is an empty map or that the templates take whole (`toYaml`, `range`, `tpl`, `omit`, `merge`):
those are free-form. A key values.yaml leaves out that a template takes whole is the chart's too (temporal's
server.dynamicConfig), and so is one a template reads, directly (`.Values.postgresql.enabled`) or through variables
(temporal's `$storeConfig := index $global.Values.server.config.persistence $store`, `$driverConfig :=
$storeConfig.sql`, then `$driverConfig.secretKey`): a variable's paths are followed, an `index` by a variable
matching any key."""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

TAKERS = "toYaml|range|tpl|with|toJson|include|omit|merge|mergeOverwrite|deepCopy"  # what takes a value whole


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
    whole = rf"({TAKERS})\b[^}}]*\.Values{dotted}(?![\w.])"
    return (
        re.search(whole, templates) is not None
        or re.search(rf"\.Values{dotted}\s*\|\s*(toYaml|toJson)", templates) is not None
    )


ANY = "*"  # in a pattern: any key (an `index` by a variable)
# `$name := <base><fields>` or `$name := index <base><fields> <key>`; base is `.Values`, `$<root>.Values` or `$name`.
ASSIGNMENT = re.compile(
    r"\$(\w+)\s*:?=\s*\(?\s*(index\s+)?((?:\$\w*)?(?:\.Values)?)((?:\.\w+)*)(?:\s+(?:\"([\w-]+)\"|\$\w+))?"
)
VARIABLE_READ = re.compile(r"\$(\w+)((?:\.\w+)+)")
DIRECT_READ = re.compile(r"\.Values((?:\.\w+)+)")
VARIABLE_WHOLE = re.compile(rf"({TAKERS})\b[^}}]*?\$(\w+)((?:\.\w+)*)(?![\w.])")


@dataclass(frozen=True)
class Reads:
    """The values paths a chart's templates read, and those they take whole, as patterns."""

    read: frozenset[tuple[str, ...]]
    whole: frozenset[tuple[str, ...]]

    def reads(self, path: tuple[str, ...]) -> bool:
        """Whether a template reads `path` or something below it."""
        return any(len(path) <= len(p) and _matches(p, path) for p in self.read)

    def takes_whole(self, path: tuple[str, ...]) -> bool:
        """Whether a template takes `path`, or a path above it, whole."""
        return any(len(p) <= len(path) and _matches(p, path) for p in self.whole)


def _matches(pattern: tuple[str, ...], path: tuple[str, ...]) -> bool:
    return all(p in (ANY, q) for p, q in zip(pattern, path, strict=False))


def _fields(text: str) -> tuple[str, ...]:
    return tuple(text.split(".")[1:]) if text else ()


@functools.lru_cache(maxsize=16)
def template_reads(templates: str) -> Reads:
    """What the templates read: `.Values` paths, and the paths variables assigned from them stand for."""
    variables: dict[str, set[tuple[str, ...]]] = {}
    for _ in range(4):  # a variable assigned from another: a few rounds reach every chain charts write
        for name, index, base, fields, key in ASSIGNMENT.findall(templates):
            if base.endswith(".Values"):
                roots = {()}
            elif base.startswith("$") and len(base) > 1:
                roots = set(variables.get(base[1:], ()))  # a copy: `$x = $x.sub` reads what it extends
            else:
                continue
            tail = _fields(fields) + ((key or ANY,) if index else ())
            variables.setdefault(name, set()).update(root + tail for root in roots)
    read = {_fields(fields) for fields in DIRECT_READ.findall(templates)}
    for name, fields in VARIABLE_READ.findall(templates):
        read |= {root + _fields(fields) for root in variables.get(name, ())}
    whole = {
        root + _fields(fields)
        for _, name, fields in VARIABLE_WHOLE.findall(templates)
        for root in variables.get(name, ())
    }
    return Reads(frozenset(read), frozenset(whole))


def unknown_keys(values: dict, defaults: dict, templates: str, path: tuple[str, ...] = ()) -> list[str]:
    """Dotted paths of `values` the chart has no default for (see the module's docstring)."""
    found = []
    reads = template_reads(templates)
    for key, value in values.items():
        here = (*path, str(key))
        if key == "global" and not path:
            continue  # shared with every subchart; charts read globals they do not declare
        if key not in defaults:
            if taken_whole(templates, here) or reads.takes_whole(here):
                continue
            if not reads.reads(here):
                found.append(".".join(here))
            elif isinstance(value, dict):
                found += unknown_keys(value, {}, templates, here)  # below it, each key read too
            continue
        default = defaults[key]
        if isinstance(value, dict) and isinstance(default, dict) and default and not taken_whole(templates, here):
            found += unknown_keys(value, default, templates, here)
    return found
