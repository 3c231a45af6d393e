"""`make tools`: every tool and image, from upstream releases (online) or built here (offline), cached."""

import hashlib
import json
import string
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from contract import pins

from . import gotools, ingress
from .cache import ROOT, bin_dir, cache_dir, module_source, versioned
from .docker_engine import ensure_engine
from .errors import BootstrapError
from .images import ImageRecipe, build_image
from .livekit import REDIS_ROOTFS as LIVEKIT_ROOTFS, build_livekit
from .monitoring import BUILDS as MONITORING_BUILDS, MonitoringImages, build_monitoring
from .nodeimage import build_node_image
from .progress import TIMINGS, run, say, step
from .rabbitmq import ROOTFS as RABBITMQ_ROOTFS, rabbitmq_image
from .releases import fetch_release
from .rootfs import BASE, INGRESS, NETPOL, NODE, ensure_rootfs_image, image_exists
from .source import online
from .temporal import ROOTFS as TEMPORAL_ROOTFS, build_temporal
from .terraform import cli_config, provider_mirror

STANDIN_IMAGE = "voiceplat/standin:dev"
ALERT_RECEIVER = "alert-receiver"  # images/alert-receiver: Alertmanager's webhook receiver on kind
# `make chart-test`'s tools come from their Go modules in both modes: no upstream release is fetched for them.
CHART_TEST_BUILDS = (gotools.CHART_TESTING, gotools.HELM_UNITTEST, gotools.DASHBOARD_CHECK)
# Every Debian root filesystem the offline images start from, BASE first (offline_toolchain makes them in the
# background: about ten minutes of debootstrap from cold, mostly waiting on the archive).
ROOTFS = (BASE, NODE, NETPOL, RABBITMQ_ROOTFS, INGRESS, LIVEKIT_ROOTFS, *TEMPORAL_ROOTFS)


@dataclass(frozen=True)
class Toolchain:
    """What `make tools` produced: read by the cluster bootstrap, the deploy and the e2e suite."""

    online: bool
    kind: str
    kubectl: str
    helm: str
    kubeconform: str
    node_image: str
    kubernetes_version: str
    metrics_server_image: str
    metrics_server_chart: str
    fake_gpu_plugin_image: str
    base_image: str  # the Debian base: shells for helper pods (local-path) and for the e2e suite's probes
    tofu: str  # what `cdktf deploy` runs (TERRAFORM_BINARY_NAME)
    tf_cli_config: str  # TF_CLI_CONFIG_FILE: the provider mirror offline, empty online (the registry)
    project_images: tuple  # loaded into the cluster with `kind load` after it is created
    # The workflows' linter (`make workflow-lint`). Defaulted so a toolchain.json written before it was added loads.
    actionlint: str = ""
    # Monitoring on kind (bootstrap/monitoring.py), defaulted likewise: image tags by component (the keys of the
    # local monitoring chart's `images`), promtool (`make chart-test`), the operator's CRD folder, the receiver.
    monitoring_images: dict = field(default_factory=dict)
    promtool: str = ""
    prometheus_operator_crds: str = ""
    # The NetworkPolicy controller's image (bootstrap/manifests/netpol.yaml); empty: policies are not enforced.
    netpol_image: str = ""
    # The Ingress controller (bootstrap/ingress.py): its image (in the node image offline, in project_images
    # online) and its chart's folder.
    # Defaulted for the same reason.
    ingress_controller_image: str = ""
    ingress_nginx_chart: str = ""
    # LiveKit, its Redis and their helpers (bootstrap/livekit.py): tags by the local LiveKit chart's image keys.
    livekit_images: dict = field(default_factory=dict)


def source_version(folder: str) -> str:
    """A version for the project's own sources: the hash of their files."""
    sha = hashlib.sha256()
    for path in sorted((ROOT / folder).rglob("*")):
        if path.is_file() and "build" not in path.relative_to(ROOT / folder).parts:
            sha.update(str(path.relative_to(ROOT)).encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()[:12]


def own_build(name: str) -> gotools.GoBuild:
    folder = f"images/{name}"
    if not (ROOT / folder / "go.mod").exists():
        raise BootstrapError("tools", f"{folder}/go.mod is missing", "restore the project's image sources from git")
    return gotools.GoBuild(name, source_version(folder), {name: "."}, source=folder)


def own_image(name: str, tag: str) -> str:
    built = own_build(name).build()
    return build_image(ImageRecipe(tag=tag, dockerfile=ROOT / f"images/{name}/Dockerfile", files={name: built / name}))


def ingress_controller() -> dict:
    """The Ingress controller's image and chart, built the same way online and offline (no upstream image)."""
    binaries = gotools.INGRESS_NGINX.build()
    template = ingress.template_file(cache_dir() / "ingress-nginx")
    image = build_image(ingress.controller_image(ensure_rootfs_image(INGRESS), binaries, template))
    return {"ingress_controller_image": image, "ingress_nginx_chart": str(ingress.chart())}


def pause_binary() -> Path:
    """kubelet's sandbox process, compiled from the C source that ships inside the k8s.io/kubernetes module."""
    out = versioned("pause", pins.PAUSE) / "pause"
    if not out.exists():
        source = module_source("k8s.io/kubernetes", pins.KUBERNETES) / "build/pause/linux/pause.c"
        out.parent.mkdir(parents=True, exist_ok=True)
        run(
            ["gcc", "-Os", "-static", "-Wall", "-Werror", f"-DVERSION=v{pins.PAUSE}", "-o", out, source],
            step_name="build pause",
            capture=True,
            fix="install gcc and libc6-dev (Debian: build-essential)",
        )
        run(["strip", out], step_name="build pause", capture=True)
    return out


def component_images(k8s: Path, base: str) -> list[str]:
    """Every image kubeadm and kind look for, under the exact names they look for."""
    recipes = [
        ImageRecipe(tag=f"registry.k8s.io/{name}:{pins.KUBERNETES}", files={f"/usr/local/bin/{name}": k8s / name})
        for name in ("kube-apiserver", "kube-controller-manager", "kube-scheduler")
    ]
    recipes += [
        ImageRecipe(
            tag=f"registry.k8s.io/kube-proxy:{pins.KUBERNETES}",
            base=base,
            files={
                "/usr/local/bin/kube-proxy.bin": k8s / "kube-proxy",
                "/usr/local/bin/iptables-backend": ROOT / "bootstrap/images/iptables-backend.sh",
                "/usr/local/bin/kube-proxy": ROOT / "bootstrap/images/kube-proxy-entrypoint.sh",
            },
        ),
        ImageRecipe(tag=f"registry.k8s.io/etcd:{pins.ETCD}", files={"/usr/local/bin/etcd": gotools.ETCD.path()}),
        ImageRecipe(
            tag=f"registry.k8s.io/coredns/coredns:{pins.COREDNS}",
            files={"/coredns": gotools.COREDNS.path()},
            entrypoint=("/coredns",),
        ),
        ImageRecipe(
            tag=f"registry.k8s.io/pause:{pins.PAUSE}",
            files={"/pause": pause_binary()},
            entrypoint=("/pause",),
            user="65535:65535",
        ),
        ImageRecipe(
            tag=f"voiceplat/local-path-provisioner:{pins.LOCAL_PATH_PROVISIONER}",
            files={"/usr/local/bin/local-path-provisioner": gotools.LOCAL_PATH_PROVISIONER.path()},
            entrypoint=("/usr/local/bin/local-path-provisioner",),
        ),
        ImageRecipe(
            tag=pins.UPSTREAM_METRICS_SERVER_IMAGE,
            files={"/metrics-server": gotools.METRICS_SERVER.path()},
            entrypoint=("/metrics-server",),
            user="65534:65534",
        ),
        ImageRecipe(
            tag=f"voiceplat/podnet:{source_version('bootstrap/images/podnet')}",
            base=base,
            files={
                "/usr/local/bin/kubectl": k8s / "kubectl",
                "/usr/local/bin/podnet": ROOT / "bootstrap/images/podnet/podnet.sh",
            },
            entrypoint=("/usr/local/bin/podnet",),
        ),
    ]
    return [build_image(recipe, f"{i}/{len(recipes)}") for i, recipe in enumerate(recipes, 1)]


def netpol_image() -> str:
    """kube-router's firewall controller on a Debian base with iptables and ipset, started through the script that
    selects the node's iptables backend; applied by the cluster bootstrap."""
    built = gotools.KUBE_ROUTER.build()
    script = ROOT / "bootstrap/images/iptables-backend.sh"
    return build_image(
        ImageRecipe(
            tag=f"voiceplat/netpol:{pins.KUBE_ROUTER}-{hashlib.sha256(script.read_bytes()).hexdigest()[:12]}",
            base=ensure_rootfs_image(NETPOL),
            files={"/usr/local/bin/kube-router": built / "kube-router", "/usr/local/bin/iptables-backend": script},
            entrypoint=("/usr/local/bin/iptables-backend", "/usr/local/bin/kube-router"),
        )
    )


def storage_manifest(base: str) -> str:
    """local-path-provisioner's own manifest (from its module), on local images, as the default StorageClass."""
    text = (
        module_source("github.com/rancher/local-path-provisioner", pins.LOCAL_PATH_PROVISIONER)
        / "deploy/local-path-storage.yaml"
    ).read_text()
    text = text.replace(
        f"rancher/local-path-provisioner:{pins.LOCAL_PATH_PROVISIONER}",
        f"voiceplat/local-path-provisioner:{pins.LOCAL_PATH_PROVISIONER}",
    )
    text = text.replace("image: busybox", f"image: {base}")
    return (
        text
        + """---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: rancher.io/local-path
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
"""
    )


def offline_toolchain() -> Toolchain:
    builds = [
        gotools.KUBERNETES,
        gotools.KIND,
        gotools.HELM,
        gotools.KUBECONFORM,
        gotools.ETCD,
        gotools.COREDNS,
        gotools.METRICS_SERVER,
        gotools.LOCAL_PATH_PROVISIONER,
        gotools.OPENTOFU,
        gotools.TF_PROVIDER_HELM,
        gotools.TF_PROVIDER_KUBERNETES,
        gotools.ACTIONLINT,
        gotools.KUBE_ROUTER,
        *CHART_TEST_BUILDS,
        gotools.INGRESS_NGINX,
        *MONITORING_BUILDS,
        gotools.TEMPORAL,
        gotools.LIVEKIT,
    ]
    # debootstrap and the module downloads wait on the network while Go builds keep the CPUs busy: every Debian root
    # filesystem the images start from is made in the background, and the downloads of every tool start at once,
    # beside the compiles (each compile waits only for its own modules).
    with ThreadPoolExecutor(max_workers=1) as background, ThreadPoolExecutor(max_workers=4) as downloads:
        rootfs = background.submit(lambda: [ensure_rootfs_image(spec) for spec in ROOTFS])
        fetched = [downloads.submit(build.prefetch) for build in builds]
        for index, build in enumerate(builds, 1):
            build.build(f"{index}/{len(builds)}")
        base = rootfs.result()[0]
        for download in fetched:
            download.result()  # a failed download also failed its build, with the compiler's message
    k8s = gotools.KUBERNETES.folder
    images = component_images(k8s, base) + [base]
    fake_gpu = own_image("fake-gpu-plugin", f"voiceplat/fake-gpu-plugin:{source_version('images/fake-gpu-plugin')}")
    images.append(fake_gpu)
    monitoring = with_receiver(build_monitoring(base))
    images += list(monitoring.images.values())
    # Pinned builds that change rarely ride in the node image: rebuilding it (~40 s) when they change costs less
    # than `kind load` of both into every node at each cluster start (~35 s). The stand-in, rebuilt with every
    # change of its source, is loaded at start.
    netpol = netpol_image()
    controller = ingress_controller()
    images += [netpol, controller["ingress_controller_image"], rabbitmq_image()]
    livekit = build_livekit(own_image)
    images += list(livekit.values())
    cni = string.Template((ROOT / "bootstrap/manifests/podnet.yaml").read_text()).safe_substitute(
        PODNET_IMAGE=next(t for t in images if t.startswith("voiceplat/podnet:")), SERVICE_SUBNET=pins.SERVICE_SUBNET
    )
    node = build_node_image(k8s, images, cni, storage_manifest(base))
    # Temporal's images are loaded at cluster start: in the node image they would rebuild it for every engineer
    # whenever a pin moves, and the e2e cluster loads them beside the stand-in (about 350 MB).
    temporal = build_temporal(base)
    return Toolchain(
        online=False,
        kind=str(gotools.KIND.path()),
        kubectl=str(k8s / "kubectl"),
        helm=str(gotools.HELM.path()),
        kubeconform=str(gotools.KUBECONFORM.path()),
        node_image=node,
        kubernetes_version=pins.KUBERNETES,
        metrics_server_image=pins.UPSTREAM_METRICS_SERVER_IMAGE,
        metrics_server_chart=metrics_server_chart(),
        fake_gpu_plugin_image=fake_gpu,
        base_image=base,
        project_images=(own_image("standin", STANDIN_IMAGE), *temporal.values()),
        **controller,
        tofu=str(gotools.OPENTOFU.path("tofu")),
        tf_cli_config=str(cli_config(provider_mirror())),
        actionlint=str(gotools.ACTIONLINT.path()),
        netpol_image=netpol,
        livekit_images=livekit,
        **monitoring_fields(monitoring),
    )


def with_receiver(monitoring: MonitoringImages) -> MonitoringImages:
    receiver = own_image(ALERT_RECEIVER, pins.MONITORING_IMAGES["alertReceiver"])
    return MonitoringImages(
        images={**monitoring.images, "alertReceiver": receiver}, promtool=monitoring.promtool, crds=monitoring.crds
    )


def monitoring_fields(monitoring: MonitoringImages) -> dict:
    return {
        "monitoring_images": monitoring.images,
        "promtool": str(monitoring.promtool),
        "prometheus_operator_crds": str(monitoring.crds),
    }


def online_toolchain() -> Toolchain:
    tools = {name: str(fetch_release(name)) for name in ("kind", "kubectl", "helm", "kubeconform", "tofu")}
    for index, build in enumerate(CHART_TEST_BUILDS, 1):
        build.build(f"{index}/{len(CHART_TEST_BUILDS)}")
    if not image_exists(pins.UPSTREAM_NODE_IMAGE):
        with step(f"docker pull {pins.UPSTREAM_NODE_IMAGE}"):
            run(["docker", "pull", pins.UPSTREAM_NODE_IMAGE], step_name="pull node image", capture=True)
    fake_gpu = own_image("fake-gpu-plugin", f"voiceplat/fake-gpu-plugin:{source_version('images/fake-gpu-plugin')}")
    base = ensure_rootfs_image(BASE)
    netpol = netpol_image()  # built here online too: the upstream image is not pinned, and one recipe serves both
    controller = ingress_controller()
    for build in MONITORING_BUILDS:
        build.prefetch()
    monitoring = with_receiver(build_monitoring(base))
    temporal = build_temporal(base)
    gotools.LIVEKIT.prefetch()
    livekit = build_livekit(own_image)
    return Toolchain(
        online=True,
        **tools,
        node_image=pins.UPSTREAM_NODE_IMAGE,
        kubernetes_version=pins.UPSTREAM_KUBERNETES,
        metrics_server_image=pins.UPSTREAM_METRICS_SERVER_IMAGE,
        metrics_server_chart=metrics_server_chart(),
        fake_gpu_plugin_image=fake_gpu,
        base_image=base,
        tf_cli_config="",
        project_images=(
            fake_gpu,
            base,
            own_image("standin", STANDIN_IMAGE),
            netpol,
            controller["ingress_controller_image"],
            *monitoring.images.values(),
            rabbitmq_image(),
            *temporal.values(),
            *livekit.values(),
        ),
        netpol_image=netpol,
        livekit_images=livekit,
        **controller,
        # Built here online too: a small Go build (about 15 s), so one recipe serves both paths.
        actionlint=str(gotools.ACTIONLINT.build() / "actionlint"),
        **monitoring_fields(monitoring),
    )


def metrics_server_chart() -> str:
    """metrics-server's chart ships inside its Go module: no chart repository needed."""
    chart = module_source("sigs.k8s.io/metrics-server", pins.METRICS_SERVER) / "charts/metrics-server"
    if not chart.exists():
        from .cache import go_env

        run(
            ["go", "mod", "download", f"sigs.k8s.io/metrics-server@{pins.METRICS_SERVER}"],
            step_name="tools",
            env=go_env(),
            capture=True,
        )
    return str(chart)


# Built offline only (the node image's components), linked when built: upstream-check's throwaway API server.
LINKED_WHEN_BUILT = ((gotools.KUBERNETES, "kube-apiserver"), (gotools.ETCD, "etcd"))


def link_tools(chain: Toolchain) -> None:
    """bin/<name> for every pinned tool, where contract.tools.tool(name) finds it."""
    for name in ("kind", "kubectl", "helm", "kubeconform", "tofu", "actionlint", "promtool"):
        relink(bin_dir() / name, Path(getattr(chain, name)))
    for build in CHART_TEST_BUILDS:
        for binary in build.binaries:
            relink(bin_dir() / binary, build.path(binary))
    for build, binary in LINKED_WHEN_BUILT:
        link = bin_dir() / binary
        if build.built():
            relink(link, build.path(binary))
        elif link.is_symlink() or link.exists():
            link.unlink()  # an older pin's build: not the version this checkout runs
    # ct lint reads chart_schema.yaml and lintconf.yaml from CT_CONFIG_DIR (the Makefile sets it to this folder);
    # both ship in the chart-testing module, which the build above downloaded.
    (cache_dir() / "etc").mkdir(exist_ok=True)
    relink(cache_dir() / "etc" / "ct", module_source("github.com/helm/chart-testing/v3", pins.CHART_TESTING) / "etc")


def relink(link: Path, target: Path) -> None:
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(target)


def state_file() -> Path:
    return cache_dir() / "toolchain.json"


def build_all() -> Toolchain:
    started = time.time()
    with step("make tools"):
        ensure_engine()
        chain = online_toolchain() if online() else offline_toolchain()
        link_tools(chain)
        state_file().write_text(json.dumps(asdict(chain), indent=2))
    record_run(started)
    say(f"tools ready ({'upstream' if chain.online else 'built locally'}): node image {chain.node_image}")
    return chain


def record_run(started: float) -> None:
    """Appends this run's step durations to runs.jsonl, so `make bench` can show the last cold build."""
    record = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "steps": dict(TIMINGS),
        "total_seconds": round(time.time() - started, 1),
    }
    with open(cache_dir() / "tools-runs.jsonl", "a") as runs:
        runs.write(json.dumps(record) + "\n")


def load_toolchain() -> Toolchain:
    """The toolchain `make tools` recorded, without rebuilding anything."""
    if not state_file().exists():
        raise BootstrapError("tools", f"{state_file()} does not exist: the tools were never built", "run `make tools`")
    data = json.loads(state_file().read_text())
    data["project_images"] = tuple(data["project_images"])
    # A record written by a checkout with more tools (another branch, a newer commit) still loads here.
    known = {field.name for field in fields(Toolchain)}
    return Toolchain(**{key: value for key, value in data.items() if key in known})
