"""One Helm release, with the settings that survive real use. Every release of every stack is made here.

- atomic: a failed install or upgrade is rolled back (a first install is removed), so a failed deploy
  never leaves a half-upgraded release that the next plan cannot reason about;
- a timeout per release (`Timing`), long enough for the chart to become ready, short enough that a
  stuck rollout fails the deploy instead of hanging it;
- bounded history (`MAX_HISTORY` revisions kept as Secrets in the release's namespace);
- values as whole files (`values/*.yaml` of the chart, add-on files in stacks/delivery/values/) and one
  generated document for what only the stack knows (roles, domains), never `set` entries;
- portable synthesized output: local charts and values files are cdktf assets, copied into the stack's
  folder of cdktf.out and named by a path relative to it, so a synthesized stack plans and applies from
  any checkout or CI job (no absolute path of the machine that synthesized it);
- pinned chart versions for repository charts, and pinned images where a chart hard-codes one without a tag
  (a post-renderer, postrender/pin-images, rewrites it: no values key reaches such an image); the project's own
  charts are local paths whose content digest is the release's description, so any edit of a chart (templates
  included) is a change in the plan even when its version stays the same;
- explicit dependencies (`depends_on`): CRDs and webhooks before the releases that use them.
"""

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

import yaml
from cdktf import AssetType, Fn, ITerraformDependable, TerraformAsset, TerraformStack, Token
from cdktf_cdktf_provider_helm.release import Release, ReleasePostrender, ReleaseSetSensitive
from constructs import Construct

MAX_HISTORY = 5
ROOT = Path(__file__).resolve().parents[2]
PIN_IMAGES = Path(__file__).resolve().parent / "postrender" / "pin-images"


class Timing(int, Enum):
    """Seconds a release may take to become ready."""

    QUICK = 300  # a few Deployments (the project's charts, controllers)
    SLOW = 600  # many components or CRDs (kube-prometheus-stack, ArgoCD, Temporal)


@dataclass(frozen=True, kw_only=True)
class RepositoryChart:
    """A chart from a Helm repository (https or oci), pinned to one version. `pinned_images`: (image as the
    chart hard-codes it, the pinned reference to run instead) for images no values key sets."""

    repository: str
    chart: str
    version: str
    pinned_images: tuple[tuple[str, str], ...] = ()


def stack_asset(scope: Construct, path: Path) -> str:
    """`path` (a file or a folder, symlinks followed) copied into the stack's synthesized folder, once per stack;
    returns its path relative to that folder, which is where Terraform runs."""
    stack = TerraformStack.of(scope)
    id_ = asset_id(path)
    asset = stack.node.try_find_child(id_) or TerraformAsset(
        stack, id_, path=str(path), type=AssetType.DIRECTORY if path.is_dir() else AssetType.FILE
    )
    return asset.path


def asset_id(path: Path) -> str:
    """The asset's construct id, which is also its folder under the stack's `assets/`: named after the source."""
    label = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else f"{path.name}-{_digest(str(path))[:8]}"
    return "file-" + re.sub(r"[^A-Za-z0-9]+", "-", label)


def values_file(scope: Construct, path: Path) -> str:
    """The file's content, read by Terraform at plan time (so an edit shows up as a values change)."""
    return Fn.file(stack_asset(scope, path))


def values_document(values: Mapping) -> str:
    """Values only the stack knows, as one YAML document: plain YAML text when every value is known at
    synth time (readable in the plan and the synthesized JSON), else Terraform's yamlencode of the tokens."""
    if _has_tokens(values):
        return Fn.yamlencode(_hcl_literals(dict(values)))
    text = yaml.safe_dump(dict(values), sort_keys=False)
    return text.replace("${", "$${").replace("%{", "%%{")  # literal text, not Terraform templates


def _hcl_literals(value):
    """Plain strings escaped for the Terraform expression cdktf writes them into (it quotes them and escapes `${`,
    but not `"`, `\\` or `%{`, so a value like '[{"HTTPS":443}]' would end the string early); tokens stay as is."""
    if isinstance(value, Mapping):
        return {key: _hcl_literals(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_hcl_literals(item) for item in value]
    if isinstance(value, str) and not Token.is_unresolved(value):
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("%{", "%%{")
    return value


def _has_tokens(value) -> bool:
    if isinstance(value, Mapping):
        return any(_has_tokens(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_tokens(item) for item in value)
    return isinstance(value, str) and Token.is_unresolved(value)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def chart_digest(folder: Path) -> str:
    """sha256 of every file of a local chart (following the library chart's symlink), by relative path."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    for link in sorted(p for p in folder.rglob("*") if p.is_symlink() and p.is_dir()):
        sha.update(chart_digest(link.resolve()).encode())
    return sha.hexdigest()


def release(
    scope: Construct,
    id_: str,
    *,
    name: str,
    namespace: str,
    chart: RepositoryChart | Path,
    timing: Timing,
    values: Sequence[str] = (),
    depends_on: Sequence[ITerraformDependable] = (),
    create_namespace: bool = False,
    lint: bool = False,
    sensitive: Mapping[str, str] | None = None,
) -> Release:
    """A helm_release; `values` are `values_file(...)`/`values_document(...)` results, later ones win.
    `sensitive` sets secret values (references to sensitive variables) that plans and logs never show."""
    if isinstance(chart, Path):
        source = {"chart": stack_asset(scope, chart), "description": f"{chart.name} sha256:{chart_digest(chart)[:16]}"}
    else:
        source = {"repository": chart.repository, "chart": chart.chart, "version": chart.version}
        if chart.pinned_images:
            source["postrender"] = ReleasePostrender(
                binary_path=stack_asset(scope, PIN_IMAGES),
                args=[f"{image}={pinned}" for image, pinned in chart.pinned_images],
            )
    return Release(
        scope,
        id_,
        name=name,
        namespace=namespace,
        create_namespace=create_namespace,
        atomic=True,
        cleanup_on_fail=True,
        wait=True,
        timeout=int(timing),
        max_history=MAX_HISTORY,
        lint=lint,
        values=list(values),
        set_sensitive=[ReleaseSetSensitive(name=key, value=value) for key, value in (sensitive or {}).items()] or None,
        depends_on=list(depends_on) or None,
        **source,
    )
