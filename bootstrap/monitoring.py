"""Monitoring on the kind cluster, as the clouds run it: Prometheus, Alertmanager and promtool (Debian's packages),
prometheus-operator with its config reloader and CRDs, prometheus-adapter and kube-state-metrics (Go module proxy),
each as an image on the project's Debian base under a pinned tag."""
from dataclasses import dataclass
from pathlib import Path

from contract import pins
from . import gotools
from .cache import module_source
from .debs import unpacked
from .images import ImageRecipe, build_image

BUILDS = (gotools.PROMETHEUS_OPERATOR, gotools.PROMETHEUS_ADAPTER, gotools.KUBE_STATE_METRICS)
PROMETHEUS_VERSION = pins.upstream_version(pins.PROMETHEUS_DEB)
ALERTMANAGER_VERSION = pins.upstream_version(pins.ALERTMANAGER_DEB)
NOBODY = "65534:65534"


@dataclass(frozen=True)
class MonitoringImages:
    """Image tags by component (the keys the local monitoring stack's values use), and where promtool and the
    operator's CRDs are."""
    images: dict
    promtool: Path
    crds: Path


def prometheus_binaries() -> Path:
    return unpacked("prometheus", pins.PROMETHEUS_DEB) / "usr/bin"


def operator_crds() -> Path:
    return module_source("github.com/prometheus-operator/prometheus-operator", pins.PROMETHEUS_OPERATOR) \
        / "example/prometheus-operator-crd"


def recipes(base: str) -> dict[str, ImageRecipe]:
    prometheus = prometheus_binaries()
    alertmanager = unpacked("prometheus-alertmanager", pins.ALERTMANAGER_DEB) / "usr/bin"
    operator, adapter, ksm = (build.folder for build in BUILDS)

    def image(name: str, version: str, binary: Path, path: str) -> ImageRecipe:
        return ImageRecipe(tag=f"voiceplat/{name}:{version}", base=base, files={path: binary}, entrypoint=(path,),
                           user=NOBODY)

    return {
        "prometheus": image("prometheus", PROMETHEUS_VERSION, prometheus / "prometheus", "/bin/prometheus"),
        "alertmanager": image("alertmanager", ALERTMANAGER_VERSION, alertmanager / "prometheus-alertmanager",
                              "/bin/alertmanager"),
        "operator": image("prometheus-operator", pins.PROMETHEUS_OPERATOR, operator / "operator", "/bin/operator"),
        "configReloader": image("prometheus-config-reloader", pins.PROMETHEUS_OPERATOR,
                                operator / "prometheus-config-reloader", "/bin/prometheus-config-reloader"),
        "adapter": image("prometheus-adapter", pins.PROMETHEUS_ADAPTER, adapter / "adapter", "/adapter"),
        "kubeStateMetrics": image("kube-state-metrics", pins.KUBE_STATE_METRICS, ksm / "kube-state-metrics",
                                  "/kube-state-metrics"),
    }


def build_monitoring(base: str) -> MonitoringImages:
    """Builds (or finds cached) every monitoring binary and image; the Go builds' downloads are prefetched by
    the caller beside the other tools' compiles."""
    for index, build in enumerate(BUILDS, 1):
        build.build(f"monitoring {index}/{len(BUILDS)}")
    built = recipes(base)
    images = {key: build_image(recipe, f"monitoring {i}/{len(built)}") for i, (key, recipe) in
              enumerate(built.items(), 1)}
    return MonitoringImages(images=images, promtool=prometheus_binaries() / "promtool", crds=operator_crds())
