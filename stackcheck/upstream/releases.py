"""The upstream releases of a synthesized stack and the values each passes, read from its cdk.tf.json.

A release's `values` are Terraform strings: `${file("assets/...")}` (a values file copied into the stack's
folder), plain YAML text (a generated document whose `${` are escaped as `$${`), or `${yamlencode({...})}`
when the document holds references known only at apply time. References and sensitive values become
stand-in strings: they satisfy the charts' templates and never reach a cluster.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..synthesized import stack_document
from .hcl import HclError, parse_expression

STAND_IN = "upstream-check-stand-in"
FILE_CALL = re.compile(r'^\$\{file\("([^"]+)"\)\}$')
YAMLENCODE_CALL = re.compile(r"^\$\{yamlencode\((.*)\)\}$", re.S)


@dataclass(frozen=True)
class UpstreamRelease:
    stack: str
    name: str
    namespace: str
    repository: str
    chart: str
    version: str
    values: tuple = field(default=(), compare=False)  # documents (dicts), later ones win
    problem: str = field(default="", compare=False)  # why its values could not be read (Terraform would fail too)
    postrender: tuple[str, ...] = field(default=(), compare=False)  # the post-renderer's path, then its arguments
    kube_version: str = field(default="", compare=False)  # the minor of the cluster the stack makes; "" for kind's

    @property
    def label(self) -> str:
        return f"{self.stack}/{self.name} ({self.chart} {self.version})"


def upstream_releases(stack: str, folder: Path) -> list[UpstreamRelease]:
    """Every helm_release of the stack that installs a chart from a repository, with its resolved values."""
    document = stack_document(folder)
    kube_version = cluster_minor(document)
    releases = []
    for body in document.get("resource", {}).get("helm_release", {}).values():
        if not body.get("repository"):
            continue  # the project's own charts (local paths) are tested by `make chart-test`
        try:
            values, problem = [resolve_values(text, folder) for text in body.get("values", [])], ""
        except HclError as error:
            values, problem = [], f"its generated values are not a valid Terraform expression ({error})"
        sensitive = {}
        for entry in body.get("set_sensitive") or []:
            set_path(sensitive, entry["name"], STAND_IN)
        releases.append(
            UpstreamRelease(
                stack=stack,
                name=body["name"],
                namespace=body.get("namespace", "default"),
                repository=body["repository"],
                chart=body["chart"],
                version=body["version"],
                values=tuple(doc for doc in (*values, sensitive) if doc),
                problem=problem,
                postrender=post_renderer(body.get("postrender"), folder),
                kube_version=kube_version,
            )
        )
    return releases


# Where a cluster resource of the stack holds its Kubernetes minor.
CLUSTER_VERSIONS = {"aws_eks_cluster": "version", "azurerm_kubernetes_cluster": "kubernetes_version"}


def cluster_minor(document: dict) -> str:
    """The Kubernetes minor of the cluster the stack creates; "" when it installs into an existing one."""
    resources = document.get("resource", {})
    found = {
        body.get(attribute) for kind, attribute in CLUSTER_VERSIONS.items() for body in resources.get(kind, {}).values()
    }
    return min(found - {None}, default="")


def post_renderer(block, folder: Path) -> tuple[str, ...]:
    """(the post-renderer's path, its arguments) of a release's `postrender` block; its path is relative to the
    stack's folder, where Terraform runs."""
    block = (block[0] if isinstance(block, list) and block else block) or {}
    if not block.get("binary_path"):
        return ()
    return (str(folder / block["binary_path"]), *block.get("args", []))


def resolve_values(text: str, folder: Path) -> dict:
    """One entry of a release's `values` as the document Helm would get (stand-ins for apply-time values)."""
    if match := FILE_CALL.match(text):
        return yaml.safe_load((folder / match.group(1)).read_text()) or {}
    if match := YAMLENCODE_CALL.match(text):
        return parse_expression(match.group(1), stand_in=STAND_IN)
    return yaml.safe_load(text.replace("$${", "${").replace("%%{", "%{")) or {}


def set_path(values: dict, dotted: str, value) -> None:
    """Helm's `--set` path (`a.b\\.c` keeps the escaped dot in a key)."""
    keys = [key.replace("\0", ".") for key in dotted.replace("\\.", "\0").split(".")]
    for key in keys[:-1]:
        values = values.setdefault(key, {})
    values[keys[-1]] = value


# API groups whose CRDs a managed add-on of the stack's cluster installs, not a release: (cluster resource type,
# the dotted path of the setting that turns the add-on on, the value it must have; None: any) -> (group, add-on).
MANAGED_ADDON_CRDS = {
    ("azurerm_kubernetes_cluster", "key_vault_secrets_provider", None): (
        "secrets-store.csi.x-k8s.io",
        "AKS add-on azure-keyvault-secrets-provider",
    ),
    ("azurerm_kubernetes_cluster", "network_profile.network_policy", "cilium"): ("cilium.io", "AKS Cilium dataplane"),
}


def managed_crd_groups(folder: Path) -> dict[str, str]:
    """API group -> the managed add-on that brings its CRDs, for the add-ons the stack's cluster turns on."""
    resources = stack_document(folder).get("resource", {})
    return {
        group: addon
        for (kind, path, value), (group, addon) in MANAGED_ADDON_CRDS.items()
        if any(
            (setting := _setting(body, path)) and value in (None, setting) for body in resources.get(kind, {}).values()
        )
    }


def _setting(body, dotted: str):
    """A resource's setting by dotted path; a nested block may be written as an object or a one-item list."""
    for key in dotted.split("."):
        body = body[0] if isinstance(body, list) and body else body
        body = body.get(key) if isinstance(body, dict) else None
    return body
