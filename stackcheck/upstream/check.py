"""The check of one synthesized stack: every upstream release rendered, its keys compared, its objects dry-run."""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from contract.frozen_images import KNOWN

from . import dryrun
from .charts import ChartSource, find_local, helm_pull, prepared
from .images import frozen_images, unpinned_images
from .keys import chart_defaults, template_text, unknown_keys
from .releases import UpstreamRelease, managed_crd_groups, upstream_releases
from .render import RenderError, api_versions_of, render


@dataclass(frozen=True)
class Finding:
    release: str  # UpstreamRelease.label
    what: str  # values | unknown-key | render | image | frozen-image | crd | dry-run
    message: str
    known: str = ""  # why it is accepted for now (contract/frozen_images.py KNOWN): reported, not failed on

    def __str__(self) -> str:
        return f"{self.release}: {self.what}: {self.message}" + (f" (known: {self.known})" if self.known else "")


@dataclass
class Sources:
    """Where charts come from: a local folder, and `helm pull` while repositories answer."""

    helm: str
    local: Path | None
    work: Path
    pull: bool = False

    def get(self, release: UpstreamRelease) -> ChartSource:
        found = find_local(self.local, release.chart, release.version) if self.local else None
        if not found and self.pull:
            found = helm_pull(self.helm, release.repository, release.chart, release.version, self.work)
        if not found:
            where = f"not in {self.local}" if self.local else "no UPSTREAM_CHARTS folder"
            return ChartSource(None, f"{where}{'' if self.pull else ', repositories unreachable'}")
        return prepared(found, self.work)


def key_findings(release: UpstreamRelease, folder: Path) -> list[Finding]:
    defaults, templates = chart_defaults(folder), template_text(folder)
    found = []
    for document in release.values:
        found += [
            Finding(release.label, "unknown-key", f"{key} is not a value of the chart")
            for key in unknown_keys(document, defaults, templates)
        ]
    return sorted(set(found), key=str)


def check_stack(
    stack: str, folder: Path, sources: Sources, kubeconfig: Path | None, log=print
) -> tuple[list[Finding], list[str]]:
    """(findings, notes) of one stack; without a kubeconfig nothing is dry-run."""
    findings, notes, rendered = [], [], {}
    charts = {}
    releases = upstream_releases(stack, folder)
    for release in releases:
        if release.problem:
            findings.append(Finding(release.label, "values", release.problem))
            continue
        source = sources.get(release)
        if source.path is None:
            notes.append(f"{release.label}: not checked ({source.note})")
            continue
        if source.note:
            notes.append(f"{release.label}: {source.note}")
        charts[release] = source
        findings += key_findings(release, source.path)
    crds = []
    for release, source in charts.items():
        try:
            rendered[release] = render(sources.helm, release, source.path, drop=source.dropped)
        except RenderError as error:
            findings.append(Finding(release.label, "render", str(error)))
            continue
        crds += [obj for obj in rendered[release] if obj["kind"] == "CustomResourceDefinition"]
        findings += [
            Finding(release.label, "image", f"{what}: no pinned tag or digest")
            for what in unpinned_images(rendered[release])
        ]
        findings += [
            Finding(
                release.label, "frozen-image", f"{what} (contract/frozen_images.py)", known=KNOWN.get(release.name, "")
            )
            for what in frozen_images(rendered[release])
        ]
    if kubeconfig is None or not rendered:
        return findings, notes
    dynamic = dryrun.client(kubeconfig)
    for name, reason in dryrun.create_crds(dynamic, _unique(crds)).items():
        findings.append(Finding(stack, "crd", f"{name}: {reason}"))
    for release in rendered:
        dryrun.ensure_namespace(dynamic, release.namespace)
    dynamic = dryrun.client(kubeconfig)  # fresh discovery: the CRDs' kinds
    api_versions = sorted({*dryrun.server_api_versions(dynamic), *api_versions_of(crds)})
    for release, source in charts.items():
        if release in rendered:  # again, with the cluster's Capabilities.APIVersions, as `helm install` would
            rendered[release] = render(sources.helm, release, source.path, api_versions, drop=source.dropped)
    managed = managed_crd_groups(folder)
    # A kind no CRD serves is a finding only when every release of the stack was rendered: else the CRD may be one
    # of those not at hand (kube-prometheus-stack's ServiceMonitor, when only temporal's chart is).
    unrendered = sorted(release.label for release in releases if release not in rendered and not release.problem)
    for release, objects in rendered.items():
        checked = 0
        for obj in objects:
            if obj["kind"] == "CustomResourceDefinition":
                continue
            group = obj["apiVersion"].rpartition("/")[0]
            if group in managed and not dryrun.served(dynamic, obj):
                notes.append(
                    f"{release.label}: {obj['kind']} {obj['metadata'].get('name')} not dry-run: its CRD "
                    f"comes with the {managed[group]}, not a release"
                )
                continue
            if unrendered and not dryrun.served(dynamic, obj):
                notes.append(
                    f"{release.label}: {obj['kind']} {obj['metadata'].get('name')} not dry-run: no CRD serves it "
                    f"here, and {', '.join(unrendered)} (not rendered) may install it"
                )
                continue
            checked += 1
            if reason := dryrun.apply(dynamic, obj, release.namespace, dry_run=True):
                findings.append(
                    Finding(release.label, "dry-run", f"{obj['kind']} {obj['metadata'].get('name')}: {reason}")
                )
        log(f"  {release.label}: {checked} objects dry-run")
    return findings, notes


def _unique(crds: list[dict]) -> list[dict]:
    return list({crd["metadata"]["name"]: crd for crd in crds}.values())


def work_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="upstream-check-"))
