"""Binaries built from the Go module proxy, cached by name, version and a digest of everything else the build reads."""

import functools
import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from contract import pins

from .cache import ROOT, go_env, versioned
from .progress import run, step

GO_FIX = "check that the Go module proxy is reachable (GOPROXY); the compiler output is above"


@dataclass(frozen=True)
class GoBuild:
    name: str
    version: str
    binaries: dict = field(default_factory=dict)  # binary name -> main package
    source: str = ""  # folder (relative to the repo) whose go.mod drives the build: wrapper modules, own code
    ldflags: str = ""
    tags: str = ""  # build tags, e.g. to leave out a tool's optional plugins
    toolchain: str = ""  # a Go newer than the machine's (e.g. go1.27.4), downloaded from the module proxy

    @property
    def folder(self) -> Path:
        return versioned(self.name, f"{self.version}-{self.digest()}")

    def digest(self) -> str:
        """What else decides the binaries besides the version: the packages, the flags, the compiler and, for a
        build driven by a folder of the project (wrapper modules, own images), that folder's files. A change to any
        of them is a new cache entry, so nothing built from an older recipe is reused
        (tests/bootstrap/test_tool_cache.py)."""
        compiler = self.toolchain or go_version()
        sha = hashlib.sha256(repr((sorted(self.binaries.items()), self._flags(), compiler)).encode())
        if self.source:
            for path in sorted((ROOT / self.source).rglob("*")):
                if path.is_file():
                    sha.update(str(path.relative_to(ROOT / self.source)).encode())
                    sha.update(path.read_bytes())
        return sha.hexdigest()[:12]

    def path(self, binary: str = "") -> Path:
        return self.folder / (binary or self.name)

    def built(self) -> bool:
        return (self.folder / ".done").exists()

    def build(self, counter: str = "") -> Path:
        if self.built():
            return self.folder
        staging = self.folder.with_name(self.folder.name + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if self.source:
            # One invocation for every binary of a module: the packages they share compile once, in parallel.
            with step(f"go build {', '.join(self.binaries)} {self.version} ({self.name})", counter):
                self._build_module(staging)
        else:
            for index, (binary, package) in enumerate(self.binaries.items(), 1):
                with step(f"go build {binary} {self.version} ({index}/{len(self.binaries)} of {self.name})", counter):
                    self._install(binary, package, staging / binary)
        (staging / ".done").touch()
        shutil.rmtree(self.folder, ignore_errors=True)
        staging.rename(self.folder)
        return self.folder

    def prefetch(self) -> None:
        """Downloads every module the build needs, compiling nothing: network-bound, so it runs beside the
        CPU-bound compiles of the tools before it (toolchain.py)."""
        if self.built():
            return
        env = self._env()
        if self.source:
            run(
                ["go", "mod", "download"],
                step_name=f"download modules of {self.name}",
                env=env,
                cwd=ROOT / self.source,
                capture=True,
                fix=GO_FIX,
                quiet=True,
            )
            return
        for package in self.binaries.values():
            # `-n` resolves and downloads the packages' modules and only prints the commands it would run.
            run(
                ["go", "install", "-n", f"{package}@{self.version}"],
                step_name=f"download modules of {self.name}",
                env=env,
                capture=True,
                fix=GO_FIX,
                quiet=True,
            )

    def module_source(self, module: str) -> Path:
        """The source of `module` at this build's version in the module cache, downloaded if absent (a module
        whose files a tool reads besides compiling it, e.g. a provider's upgrade guides)."""
        listed = run(
            ["go", "mod", "download", "-json", f"{module}@{self.version}"],
            step_name=f"source of {module}",
            env=self._env(),
            capture=True,
            fix=GO_FIX,
            quiet=True,
        )
        return Path(json.loads(listed)["Dir"])

    def _env(self) -> dict:
        env = go_env()
        if self.toolchain:
            env["GOTOOLCHAIN"] = self.toolchain  # the go command fetches golang.org/toolchain@...-<it> once
        return env

    def _flags(self) -> list[str]:
        # -v names each package as it is compiled: the step's heartbeat counts them (bootstrap/progress.py).
        tags = ["-tags", self.tags] if self.tags else []
        return ["-v", "-trimpath", *tags, "-ldflags", f"-s -w {self.ldflags}".strip()]

    def _build_module(self, staging: Path) -> None:
        cwd, env = ROOT / self.source, self._env()
        packages = list(self.binaries.values())
        graph = run(
            ["go", "list", "-deps", *packages],
            step_name=f"go list {self.name}",
            env=env,
            cwd=cwd,
            capture=True,
            fix=GO_FIX,
            unit="packages listed",
            counted_stream="stdout",
        )
        # One binary: -o names the file. Several: -o names a folder, where each is named after its package's last
        # element (k8s.io/kubernetes/cmd/kubeadm -> kubeadm), which is then its binary name.
        single = len(packages) == 1
        out = staging / next(iter(self.binaries)) if single else f"{staging}/"
        run(
            ["go", "build", *self._flags(), "-o", out, *packages],
            step_name=f"build {self.name}",
            env=env,
            cwd=cwd,
            capture=True,
            fix=GO_FIX,
            unit="packages compiled",
            total=len(graph.split()),
        )
        for binary, package in self.binaries.items() if not single else ():
            (staging / package.rstrip("/").split("/")[-1]).rename(staging / binary)

    def _install(self, binary: str, package: str, out: Path) -> None:
        env = self._env()
        gobin = out.parent / ".gobin"
        env["GOBIN"] = str(gobin)
        run(
            ["go", "install", *self._flags(), f"{package}@{self.version}"],
            step_name=f"build {binary}",
            env=env,
            capture=True,
            fix=GO_FIX,
            unit="packages compiled",
        )
        (gobin / package.rstrip("/").split("/")[-1]).rename(out)
        shutil.rmtree(gobin)


def go_version() -> str:
    """The compiler's version (GOTOOLCHAIN=local: the go on PATH): a new Go rebuilds every tool."""
    return _go_version(go_env()["PATH"])


@functools.cache
def _go_version(path: str) -> str:
    out = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, env=dict(go_env(), PATH=path))
    return out.stdout.strip() or "unknown"


KUBERNETES = GoBuild(
    "kubernetes",
    pins.KUBERNETES,
    source="bootstrap/gomod/kubernetes",
    binaries={
        name: f"k8s.io/kubernetes/cmd/{name}"
        for name in (
            "kubeadm",
            "kubelet",
            "kubectl",
            "kube-apiserver",
            "kube-controller-manager",
            "kube-scheduler",
            "kube-proxy",
        )
    },
    ldflags=pins.kubernetes_version_ldflags(pins.KUBERNETES),
)
KIND = GoBuild("kind", pins.KIND, {"kind": "sigs.k8s.io/kind"})
HELM = GoBuild(
    "helm",
    pins.HELM,
    {"helm": "helm.sh/helm/v3/cmd/helm"},
    ldflags=f"-X helm.sh/helm/v3/internal/version.version={pins.HELM}",
)
KUBECONFORM = GoBuild("kubeconform", pins.KUBECONFORM, {"kubeconform": "github.com/yannh/kubeconform/cmd/kubeconform"})
# Chart tests: wrapper modules (see their go.mod for why); the same build online and offline.
CHART_TESTING = GoBuild(
    "chart-testing",
    pins.CHART_TESTING,
    {"ct": "github.com/helm/chart-testing/v3/ct"},
    source="bootstrap/gomod/chart-testing",
    ldflags=f"-X github.com/helm/chart-testing/v3/ct/cmd.Version={pins.CHART_TESTING}",
)
HELM_UNITTEST = GoBuild(
    "helm-unittest",
    pins.HELM_UNITTEST,
    {"helm-unittest": "github.com/helm-unittest/helm-unittest/cmd/helm-unittest"},
    source="bootstrap/gomod/helm-unittest",
)
# The dashboards' strict schema check (tests/charts/test_dashboards.py): the project's command on the SDK's types.
DASHBOARD_CHECK = GoBuild(
    "dashboard-check",
    pins.GRAFANA_FOUNDATION_SDK,
    {"dashboard-check": "."},
    source="bootstrap/gomod/dashboard-check",
)
ETCD = GoBuild("etcd", pins.ETCD, {"etcd": "go.etcd.io/etcd/server/v3"}, source="bootstrap/gomod/etcd")
COREDNS = GoBuild("coredns", pins.COREDNS, {"coredns": "github.com/coredns/coredns"})
METRICS_SERVER = GoBuild(
    "metrics-server", pins.METRICS_SERVER, {"metrics-server": "sigs.k8s.io/metrics-server/cmd/metrics-server"}
)
LOCAL_PATH_PROVISIONER = GoBuild(
    "local-path-provisioner",
    pins.LOCAL_PATH_PROVISIONER,
    {"local-path-provisioner": "github.com/rancher/local-path-provisioner"},
)
OPENTOFU = GoBuild(
    "opentofu",
    pins.OPENTOFU,
    {"tofu": "github.com/opentofu/opentofu/cmd/tofu"},
    source="bootstrap/gomod/opentofu",
    ldflags="-X github.com/opentofu/opentofu/version.dev=no",
)
TF_PROVIDER_HELM = GoBuild(
    "terraform-provider-helm",
    pins.TF_PROVIDER_HELM[1],
    {"terraform-provider-helm": "github.com/hashicorp/terraform-provider-helm"},
)
TF_PROVIDER_KUBERNETES = GoBuild(
    "terraform-provider-kubernetes",
    pins.TF_PROVIDER_KUBERNETES[1],
    {"terraform-provider-kubernetes": "github.com/hashicorp/terraform-provider-kubernetes"},
)
TF_PROVIDER_AWS = GoBuild(
    "terraform-provider-aws",
    pins.TF_PROVIDER_AWS[1],
    {"terraform-provider-aws": "github.com/hashicorp/terraform-provider-aws"},
)
TF_PROVIDER_AZURERM = GoBuild(
    "terraform-provider-azurerm",
    pins.TF_PROVIDER_AZURERM[1],
    {"terraform-provider-azurerm": "github.com/hashicorp/terraform-provider-azurerm"},
)
# The Ingress controller on kind (bootstrap/ingress.py): a wrapper module pins a hash the checksum database lacks.
INGRESS_NGINX = GoBuild(
    "ingress-nginx",
    pins.INGRESS_NGINX,
    {
        "nginx-ingress-controller": "k8s.io/ingress-nginx/cmd/nginx",
        "wait-shutdown": "k8s.io/ingress-nginx/cmd/waitshutdown",
    },
    source="bootstrap/gomod/ingress-nginx",
    ldflags=f"-X k8s.io/ingress-nginx/version.RELEASE={pins.INGRESS_NGINX} -X k8s.io/ingress-nginx/version.REPO=kind",
)
ACTIONLINT = GoBuild(
    "actionlint",
    pins.ACTIONLINT,
    {"actionlint": "github.com/rhysd/actionlint/cmd/actionlint"},
    ldflags=f"-X github.com/rhysd/actionlint.version={pins.ACTIONLINT}",
)
# Monitoring on kind (bootstrap/monitoring.py): prometheus-operator from a wrapper module (see its go.mod).
PROMETHEUS_OPERATOR = GoBuild(
    "prometheus-operator",
    pins.PROMETHEUS_OPERATOR,
    source="bootstrap/gomod/prometheus-operator",
    binaries={
        name: f"github.com/prometheus-operator/prometheus-operator/cmd/{name}"
        for name in ("operator", "prometheus-config-reloader")
    },
    ldflags=f"-X github.com/prometheus/common/version.Version={pins.PROMETHEUS_OPERATOR.lstrip('v')}",
)
# Prometheus with only the service discovery kind uses (Kubernetes; file and HTTP always come): its build tags drop the
# cloud SDKs of the other 25 mechanisms. No web UI assets are embedded (the API, which the operator, the adapter and
# the e2e suite use, is complete without them).
PROMETHEUS = GoBuild(
    "prometheus",
    pins.PROMETHEUS,
    {name: f"github.com/prometheus/prometheus/cmd/{name}" for name in ("prometheus", "promtool")},
    tags="remove_all_sd,enable_kubernetes_sd",
    ldflags=f"-X github.com/prometheus/common/version.Version={pins.prometheus_release(pins.PROMETHEUS).lstrip('v')}",
)
# The proxy refuses these two modules' version lists, which `go install module@version` reads: wrapper modules.
PROMETHEUS_ADAPTER = GoBuild(
    "prometheus-adapter",
    pins.PROMETHEUS_ADAPTER,
    {"adapter": "sigs.k8s.io/prometheus-adapter/cmd/adapter"},
    source="bootstrap/gomod/prometheus-adapter",
)
KUBE_STATE_METRICS = GoBuild(
    "kube-state-metrics",
    pins.KUBE_STATE_METRICS,
    {"kube-state-metrics": "k8s.io/kube-state-metrics/v2"},
    source="bootstrap/gomod/kube-state-metrics",
    ldflags=f"-X github.com/prometheus/common/version.Version={pins.KUBE_STATE_METRICS}",
)
# NetworkPolicy enforcement on the kind cluster (its firewall controller only: bootstrap/manifests/netpol.yaml).
KUBE_ROUTER = GoBuild(
    "kube-router",
    pins.KUBE_ROUTER,
    {"kube-router": "github.com/cloudnativelabs/kube-router/v2/cmd/kube-router"},
    ldflags=f"-X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version={pins.KUBE_ROUTER}",
)
# GitOps on kind (bootstrap/gitops.py, `make gitops-tools` only): argo-cd's one multi-call binary, from a wrapper
# module (see its go.mod), with the Go toolchain its go.mod asks for and the version facts its release build sets.
ARGO_CD = GoBuild(
    "argo-cd",
    pins.ARGO_CD,
    {"argocd": "github.com/argoproj/argo-cd/v3/cmd"},
    source="bootstrap/gomod/argo-cd",
    toolchain=pins.ARGO_CD_GO_TOOLCHAIN,
    ldflags=" ".join(
        f"-X github.com/argoproj/argo-cd/v3/common.{key}={value}"
        for key, value in {
            "version": pins.ARGO_CD.lstrip("v"),
            "gitTag": pins.ARGO_CD,
            "gitTreeState": "clean",
            "kubectlVersion": pins.ARGO_CD_KUBECTL,
        }.items()
    ),
)
# Temporal on kind (bootstrap/temporal.py): the server, its SQL schema tool and the CLI that registers namespaces
# (the cloud chart's admin-tools run the same two tools), from one wrapper module, one build.
TEMPORAL = GoBuild(
    "temporal",
    pins.TEMPORAL,
    {
        "temporal-server": "go.temporal.io/server/cmd/server",
        "temporal-sql-tool": "go.temporal.io/server/cmd/tools/sql",
        "temporal": "github.com/temporalio/cli/cmd/temporal",
    },
    source="bootstrap/gomod/temporal",
)
# LiveKit on kind (bootstrap/livekit.py): its server, straight from its module (v1.13.5 has no replace lines:
# contract/pins.py says why that version); its version is a constant of its source, so no -X flag is needed.
LIVEKIT = GoBuild("livekit", pins.LIVEKIT, {"livekit-server": "github.com/livekit/livekit-server/cmd/server"})
