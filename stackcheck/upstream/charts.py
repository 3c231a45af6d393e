"""Where a pinned upstream chart comes from: a local folder (`UPSTREAM_CHARTS`), else `helm pull` where its
repository is reachable. A dependency the chart's `charts/` lacks is dropped from a working copy, and said so:
`helm template` refuses a chart with a missing dependency, and the rest of the chart is still worth checking."""

import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bootstrap.progress import execute


@dataclass
class ChartSource:
    path: Path | None  # a chart folder ready for `helm template`, None when the chart could not be had
    note: str = ""  # why it is missing, or which dependencies were dropped
    dropped: list = field(default_factory=list)  # names of dependencies rendered without


def chart_metadata(folder: Path) -> dict:
    return yaml.safe_load((folder / "Chart.yaml").read_text()) or {}


def find_local(root: Path, chart: str, version: str) -> Path | None:
    """A folder under `root` (two levels deep at most) holding `chart` at `version`, or its .tgz."""
    for archive in (root / f"{chart}-{version}.tgz",):
        if archive.is_file():
            return archive
    for manifest in sorted([*root.glob("*/Chart.yaml"), *root.glob("*/*/Chart.yaml"), *root.glob("Chart.yaml")]):
        meta = chart_metadata(manifest.parent)
        if meta.get("name") == chart and str(meta.get("version")) == version:
            return manifest.parent
    return None


def helm_pull(helm: str, repository: str, chart: str, version: str, into: Path, timeout: float = 60) -> Path | None:
    """`helm pull` of the pinned chart into `into`; None when the repository cannot be reached."""
    reference = (
        [f"{repository.rstrip('/')}/{chart}"] if repository.startswith("oci://") else [chart, "--repo", repository]
    )
    pulled = execute(
        [helm, "pull", *reference, "--version", version, "--destination", str(into)],
        step_name=f"helm pull {chart} {version}",
        timeout=timeout,
    )
    archive = into / f"{chart}-{version}.tgz"
    return archive if pulled.code == 0 and not pulled.timed_out and archive.is_file() else None


def prepared(source: Path, work: Path) -> ChartSource:
    """A working copy of the chart (unpacked, missing dependencies dropped from its Chart.yaml)."""
    target = Path(tempfile.mkdtemp(prefix="chart-", dir=work))
    if source.is_file():
        with tarfile.open(source) as archive:
            archive.extractall(target, filter="data")
        (folder,) = [path.parent for path in target.glob("*/Chart.yaml")]
    else:
        folder = target / source.name
        shutil.copytree(source, folder, symlinks=False)
    meta = chart_metadata(folder)
    present = {chart_metadata(path.parent).get("name") for path in folder.glob("charts/*/Chart.yaml")}
    present |= {path.name.rsplit("-", 1)[0] for path in folder.glob("charts/*.tgz")}
    kept, dropped = [], []
    for dependency in meta.get("dependencies") or []:
        if dependency["name"] in present or not dependency.get("repository"):
            kept.append(dependency)
        else:
            dropped.append(dependency.get("alias") or dependency["name"])
    if dropped:
        meta["dependencies"] = kept
        (folder / "Chart.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
        (folder / "Chart.lock").unlink(missing_ok=True)
    note = (
        f"rendered without its missing dependencies {', '.join(dropped)}: their objects are not checked"
        if dropped
        else ""
    )
    if remote := drop_remote_refs(folder / "values.schema.json"):
        note = "; ".join(filter(None, [note, f"{remote} remote $refs of its values.schema.json not checked"]))
    return ChartSource(folder, note, dropped)


def drop_remote_refs(schema_file: Path) -> int:
    """Removes each `$ref` to a URL from the chart's schema (nginx-ingress points at Kubernetes' definitions on
    the web, which `helm template` fetches and fails on offline); the rest of the schema still validates the
    values. How many were removed."""
    if not schema_file.is_file():
        return 0
    removed = 0

    def strip(node):
        nonlocal removed
        if isinstance(node, dict):
            if str(node.get("$ref", "")).startswith(("http://", "https://")):
                del node["$ref"]
                removed += 1
            for value in node.values():
                strip(value)
        elif isinstance(node, list):
            for value in node:
                strip(value)

    schema = json.loads(schema_file.read_text())
    strip(schema)
    if removed:
        schema_file.write_text(json.dumps(schema))
    return removed
