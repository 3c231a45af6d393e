"""JSON schemas for kubeconform, made offline from sources reachable here (the Go module proxy).

kubeconform reads one standalone schema per kind (`<kind>-<group>-<version>.json`, the layout of
yannh/kubernetes-json-schema). This module makes them:
- Kubernetes kinds from the OpenAPI v3 spec inside the k8s.io/kubernetes module (api/openapi-spec/v3) at
  the version the clusters run (contract.pins.KUBERNETES): every `$ref` inlined, objects closed
  (`additionalProperties: false`, the "strict" variant), so a misspelled field fails;
- ServiceMonitor and PrometheusRule from the CRDs in the prometheus-operator module.
SecretProviderClass (secrets-store.csi.x-k8s.io) has no schema: its module is not on the proxy here, so
kubeconform skips that kind (SKIPPED_KINDS) and the policy tests check its fields instead.

`python tests/charts/kubeschemas.py` prints the folder, making it on first use (a few seconds).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from bootstrap.cache import cache_dir, go_env, module_source
from contract import pins

KUBERNETES_MODULE = "k8s.io/kubernetes"
OPENAPI_DIR = "api/openapi-spec/v3"
# The only prometheus-operator release the module proxy here serves; kube-prometheus-stack releases of the
# same generation ship these CRD versions (monitoring.coreos.com/v1).
PROMETHEUS_OPERATOR_MODULE = "github.com/prometheus-operator/prometheus-operator"
PROMETHEUS_OPERATOR = pins.PROMETHEUS_OPERATOR
PROMETHEUS_OPERATOR_CRDS = (
    "example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml",
    "example/prometheus-operator-crd/monitoring.coreos.com_prometheusrules.yaml",
)
SKIPPED_KINDS = ("SecretProviderClass",)
# Bump when the conversion changes, so cached folders from an older conversion are not reused.
FORMAT = 1
DROPPED_KEYWORDS = {"format", "x-kubernetes-group-version-kind"}


def schema_dir() -> Path:
    return cache_dir() / "kubeconform-schemas" / f"{pins.KUBERNETES}-po{PROMETHEUS_OPERATOR}-f{FORMAT}"


def schema_location() -> str:
    """The -schema-location template kubeconform takes for the folder."""
    return str(schema_dir() / "{{ .ResourceKind }}{{ .KindSuffix }}.json")


def download(module: str, version: str) -> Path:
    """The module's source folder, downloaded through the Go module proxy when missing."""
    folder = module_source(module, version)
    if not folder.is_dir():
        result = subprocess.run(
            ["go", "mod", "download", f"{module}@{version}"],
            cwd=cache_dir(),
            env=go_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"go mod download {module}@{version} failed: {result.stderr.strip()}\n"
                "The Kubernetes schemas come from that module: check GOPROXY reaches the Go module proxy."
            )
    return folder


def file_name(kind: str, group: str, version: str) -> str:
    """`deployment-apps-v1.json`: kubeconform's {{ .ResourceKind }}{{ .KindSuffix }} for the kind."""
    api_group = group.split(".")[0] if group else ""
    parts = [kind.lower()] + ([api_group] if api_group else []) + [version]
    return "-".join(parts) + ".json"


SCHEMA_MAPS = ("properties", "patternProperties")  # name -> schema
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")  # [schema]
SCHEMA_VALUES = ("items", "additionalProperties", "not")  # schema (additionalProperties may be a bool)


def walk(schema: dict, visit) -> dict:
    """A copy of `schema` with `visit` applied to every sub-schema (children first), following the
    structure of JSON Schema, so a property called `$ref` or `allOf` stays a property."""
    out = {}
    for key, value in schema.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: visit(child) for name, child in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [visit(child) for child in value]
        elif key in SCHEMA_VALUES and isinstance(value, dict):
            out[key] = visit(value)
        else:
            out[key] = value
    return out


def close_objects(schema: dict) -> dict:
    """Strict variant: an object schema with properties accepts no other keys, unless it preserves them."""
    node = {key: value for key, value in walk(schema, close_objects).items() if key not in DROPPED_KEYWORDS}
    if node.get("nullable") is True and isinstance(node.get("type"), str):
        node["type"] = [node["type"], "null"]
    if (
        "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        node["additionalProperties"] = False
    return node


def inline(schema: dict, definitions: dict, stack: tuple = ()) -> dict:
    """`schema` with every `#/components/schemas/...` reference replaced by its definition.
    A reference back into a definition being expanded becomes {} (only CRD's JSONSchemaProps recurses)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return {} if name in stack else inline(definitions[name], definitions, stack + (name,))
    out = walk(schema, lambda child: inline(child, definitions, stack))
    parts = out.pop("allOf", [])
    if len(parts) == 1:  # the v3 spec wraps a $ref in allOf to attach a default or description
        for key, value in parts[0].items():
            out.setdefault(key, value)
    elif parts:
        out["allOf"] = parts
    return out


def kubernetes_schemas(out: Path) -> int:
    spec_dir = download(KUBERNETES_MODULE, pins.KUBERNETES) / OPENAPI_DIR
    written = 0
    for spec_file in sorted(spec_dir.glob("*_openapi.json")):
        definitions = json.loads(spec_file.read_text()).get("components", {}).get("schemas", {})
        for name, definition in definitions.items():
            kinds = definition.get("x-kubernetes-group-version-kind", [])
            if len(kinds) != 1 or "properties" not in definition or "metadata" not in definition["properties"]:
                continue  # list wrappers, options and events carry several kinds or no object metadata
            gvk = kinds[0]
            target = out / file_name(gvk["kind"], gvk["group"], gvk["version"])
            if target.exists():
                continue  # every group's file repeats the core definitions
            schema = close_objects(inline(definition, definitions, (name,)))
            target.write_text(json.dumps(schema))
            written += 1
    return written


def crd_schemas(out: Path) -> int:
    folder = download(PROMETHEUS_OPERATOR_MODULE, PROMETHEUS_OPERATOR)
    written = 0
    for relative in PROMETHEUS_OPERATOR_CRDS:
        crd = yaml.safe_load((folder / relative).read_text())
        spec = crd["spec"]
        for version in spec["versions"]:
            schema = close_objects(version["schema"]["openAPIV3Schema"])
            (out / file_name(spec["names"]["kind"], spec["group"], version["name"])).write_text(json.dumps(schema))
            written += 1
    return written


def ensure_schemas() -> Path:
    """The schema folder, made once per (Kubernetes, prometheus-operator, conversion) version."""
    final = schema_dir()
    if final.is_dir():
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=final.parent) as scratch:
        work = Path(scratch) / "schemas"
        work.mkdir()
        if kubernetes_schemas(work) == 0:
            raise RuntimeError(f"no kind found in the OpenAPI spec of {KUBERNETES_MODULE}@{pins.KUBERNETES}")
        crd_schemas(work)
        try:
            work.rename(final)  # atomic: a folder that exists is complete
        except OSError:
            if not final.is_dir():
                raise
    return final


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    print(ensure_schemas())
