"""Monitoring on the kind cluster, as the clouds run it: Prometheus and promtool, prometheus-operator with its config
reloader and CRDs, prometheus-adapter and kube-state-metrics (Go module proxy), Alertmanager (Debian's package), each
as an image on the project's Debian base under a pinned tag."""

from dataclasses import dataclass
from pathlib import Path

import yaml

from contract import MONITORING_NAMESPACE, pins

from . import gotools
from .cache import module_source
from .debs import unpacked
from .images import ImageRecipe, build_image

BUILDS = (gotools.PROMETHEUS, gotools.PROMETHEUS_OPERATOR, gotools.PROMETHEUS_ADAPTER, gotools.KUBE_STATE_METRICS)
NOBODY = "65534:65534"
TEMPLATES = tuple(f"/usr/share/prometheus/alertmanager/{name}.tmpl" for name in ("default", "email"))


@dataclass(frozen=True)
class MonitoringImages:
    """Image tags by component (the keys the local monitoring stack's values use), and where promtool and the
    operator's CRDs are."""

    images: dict
    promtool: Path
    crds: Path


def operator_crds() -> Path:
    return (
        module_source("github.com/prometheus-operator/prometheus-operator", pins.PROMETHEUS_OPERATOR)
        / "example/prometheus-operator-crd"
    )


def recipes(base: str) -> dict[str, ImageRecipe]:
    alertmanager = unpacked("prometheus-alertmanager", pins.ALERTMANAGER_DEB) / "usr/bin"
    prometheus, operator, adapter, ksm = (build.folder for build in BUILDS)

    def image(key: str, binary: Path, path: str) -> ImageRecipe:
        return ImageRecipe(
            tag=pins.MONITORING_IMAGES[key], base=base, files={path: binary}, entrypoint=(path,), user=NOBODY
        )

    return {
        "prometheus": image("prometheus", prometheus / "prometheus", "/bin/prometheus"),
        # Debian's Alertmanager reads its notification templates from /usr/share (a Debian patch), not from itself,
        # and fails to load a configuration when either is missing.
        "alertmanager": ImageRecipe(
            tag=pins.MONITORING_IMAGES["alertmanager"],
            base=base,
            files={
                "/bin/alertmanager": alertmanager / "prometheus-alertmanager",
                **{path: alertmanager.parent / path.removeprefix("/usr/") for path in TEMPLATES},
            },
            entrypoint=("/bin/alertmanager",),
            user=NOBODY,
        ),
        "operator": image("operator", operator / "operator", "/bin/operator"),
        "configReloader": image(
            "configReloader", operator / "prometheus-config-reloader", "/bin/prometheus-config-reloader"
        ),
        "adapter": image("adapter", adapter / "adapter", "/adapter"),
        "kubeStateMetrics": image("kubeStateMetrics", ksm / "kube-state-metrics", "/kube-state-metrics"),
    }


def build_monitoring(base: str) -> MonitoringImages:
    """Builds (or finds cached) every monitoring binary and image; the Go builds' downloads are prefetched by
    the caller beside the other tools' compiles."""
    for index, build in enumerate(BUILDS, 1):
        build.build(f"monitoring {index}/{len(BUILDS)}")
    built = recipes(base)
    images = {
        key: build_image(recipe, f"monitoring {i}/{len(built)}") for i, (key, recipe) in enumerate(built.items(), 1)
    }
    return MonitoringImages(images=images, promtool=gotools.PROMETHEUS.path("promtool"), crds=operator_crds())


class _ManifestLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: the CRDs are 4 MB
    """YAML 1.1 reads a bare `=` (an enum value in the operator's CRDs) as the `value` tag: here it is the string."""


_ManifestLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def cluster_manifests(crds: Path) -> list[dict]:
    """What every kind cluster runs for monitoring before the local stack configures it (as the clouds'
    kube-prometheus-stack brings them): the operator's CRDs and operator (its bundle.yaml, from its module) and
    kube-state-metrics (its standard example, from its module), both in the monitoring namespace. The images carry
    the names these manifests use, so nothing in them is rewritten but the namespace."""
    operator = (crds.parent.parent / "bundle.yaml").read_text()
    ksm_folder = module_source("k8s.io/kube-state-metrics/v2", pins.KUBE_STATE_METRICS) / "examples/standard"
    ksm = "\n---\n".join(
        (ksm_folder / f"{name}.yaml").read_text()
        for name in ("service-account", "cluster-role", "cluster-role-binding", "deployment", "service")
    )
    namespace = f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {MONITORING_NAMESPACE}\n"
    text = "\n---\n".join(
        [
            namespace,
            operator.replace("namespace: default", f"namespace: {MONITORING_NAMESPACE}"),
            ksm.replace("namespace: kube-system", f"namespace: {MONITORING_NAMESPACE}"),
        ]
    )
    return [doc for doc in yaml.load_all(text, Loader=_ManifestLoader) if doc]
