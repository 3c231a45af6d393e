"""`helm template` of one upstream release with the values it passes, as the cluster's Kubernetes version."""

import tempfile
from pathlib import Path

import yaml

from bootstrap.progress import execute
from contract import pins

from .releases import UpstreamRelease


class RenderError(RuntimeError):
    pass


class ManifestLoader(yaml.SafeLoader):
    """SafeLoader that reads a bare `=` (YAML 1.1's value tag, found in CRD enums) as the string it is."""


ManifestLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def render(helm: str, release: UpstreamRelease, folder: Path, api_versions=(), drop=()) -> list[dict]:
    """Every object the chart renders (CRDs included); `drop` names dependencies the copy lacks (forced off)."""
    # a cloud cluster's minor, as its first patch; else kind's version
    kube_version = f"{release.kube_version}.0" if release.kube_version else pins.KUBERNETES.lstrip("v")
    with tempfile.TemporaryDirectory(prefix="values-") as work:
        files = []
        for index, document in enumerate([*release.values, {name: {"enabled": False} for name in drop}]):
            path = Path(work) / f"{index}.yaml"
            path.write_text(yaml.safe_dump(document))
            files += ["--values", str(path)]
        result = execute(
            [
                helm,
                "template",
                release.name,
                str(folder),
                "--namespace",
                release.namespace,
                "--include-crds",
                "--kube-version",
                kube_version,
                *(f"--api-versions={v}" for v in api_versions),
                *files,
                *post_renderer_flags(release.postrender),
            ],
            step_name=f"helm template {release.label}",
        )
    if result.code:
        raise RenderError(result.stderr.strip()[-2000:])
    documents = [doc for doc in yaml.load_all(result.stdout, Loader=ManifestLoader) if isinstance(doc, dict)]
    objects = []
    for doc in documents:  # a `kind: List` holds objects of its own
        objects += list(doc.get("items") or []) if doc.get("kind") == "List" else [doc]
    return [obj for obj in objects if obj.get("kind")]


def post_renderer_flags(postrender: tuple[str, ...]) -> list[str]:
    """What `helm install` runs through the release's post-renderer, `helm template` runs through too."""
    if not postrender:
        return []
    binary, *args = postrender
    return ["--post-renderer", binary, *(f"--post-renderer-args={arg}" for arg in args)]


def api_versions_of(crds: list[dict]) -> list[str]:
    """`group/version` and `group/version/Kind` of each CRD: what charts ask `.Capabilities.APIVersions`."""
    found = []
    for crd in crds:
        spec = crd.get("spec", {})
        for version in spec.get("versions", []):
            if version.get("served", True):
                group_version = f"{spec['group']}/{version['name']}"
                found += [group_version, f"{group_version}/{spec['names']['kind']}"]
    return sorted(set(found))
