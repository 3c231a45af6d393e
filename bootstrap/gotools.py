"""Binaries built from the Go module proxy, cached by name and version."""
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from contract import pins
from .cache import ROOT, go_env, versioned
from .progress import run, step


@dataclass(frozen=True)
class GoBuild:
    name: str
    version: str
    binaries: dict = field(default_factory=dict)  # binary name -> main package
    source: str = ""    # folder (relative to the repo) whose go.mod drives the build: wrapper modules, own code
    ldflags: str = ""

    @property
    def folder(self) -> Path:
        return versioned(self.name, self.version)

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
        for index, (binary, package) in enumerate(self.binaries.items(), 1):
            with step(f"go build {binary} {self.version} ({index}/{len(self.binaries)} of {self.name})", counter):
                self._build_one(binary, package, staging / binary)
        (staging / ".done").touch()
        shutil.rmtree(self.folder, ignore_errors=True)
        staging.rename(self.folder)
        return self.folder

    def _build_one(self, binary: str, package: str, out: Path) -> None:
        flags = ["-trimpath", "-ldflags", f"-s -w {self.ldflags}".strip()]
        env, fix = go_env(), "check that the Go module proxy is reachable (GOPROXY); the compiler output is above"
        if self.source:
            run(["go", "build", *flags, "-o", out, package], step_name=f"build {binary}", env=env,
                cwd=ROOT / self.source, capture=True, fix=fix)
            return
        gobin = out.parent / ".gobin"
        env["GOBIN"] = str(gobin)
        run(["go", "install", *flags, f"{package}@{self.version}"], step_name=f"build {binary}", env=env,
            capture=True, fix=fix)
        (gobin / package.rstrip("/").split("/")[-1]).rename(out)
        shutil.rmtree(gobin)


KUBERNETES = GoBuild(
    "kubernetes", pins.KUBERNETES, source="bootstrap/gomod/kubernetes",
    binaries={name: f"k8s.io/kubernetes/cmd/{name}" for name in (
        "kubeadm", "kubelet", "kubectl", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy")},
    ldflags=pins.kubernetes_version_ldflags(pins.KUBERNETES))
KIND = GoBuild("kind", pins.KIND, {"kind": "sigs.k8s.io/kind"})
HELM = GoBuild("helm", pins.HELM, {"helm": "helm.sh/helm/v3/cmd/helm"},
               ldflags=f"-X helm.sh/helm/v3/internal/version.version={pins.HELM}")
KUBECONFORM = GoBuild("kubeconform", pins.KUBECONFORM, {"kubeconform": "github.com/yannh/kubeconform/cmd/kubeconform"})
ETCD = GoBuild("etcd", pins.ETCD, {"etcd": "go.etcd.io/etcd/server/v3"}, source="bootstrap/gomod/etcd")
COREDNS = GoBuild("coredns", pins.COREDNS, {"coredns": "github.com/coredns/coredns"})
METRICS_SERVER = GoBuild("metrics-server", pins.METRICS_SERVER,
                         {"metrics-server": "sigs.k8s.io/metrics-server/cmd/metrics-server"})
LOCAL_PATH_PROVISIONER = GoBuild("local-path-provisioner", pins.LOCAL_PATH_PROVISIONER,
                                 {"local-path-provisioner": "github.com/rancher/local-path-provisioner"})
OPENTOFU = GoBuild("opentofu", pins.OPENTOFU, {"tofu": "github.com/opentofu/opentofu/cmd/tofu"},
                   source="bootstrap/gomod/opentofu",
                   ldflags="-X github.com/opentofu/opentofu/version.dev=no")
TF_PROVIDER_HELM = GoBuild("terraform-provider-helm", pins.TF_PROVIDER_HELM[1],
                           {"terraform-provider-helm": "github.com/hashicorp/terraform-provider-helm"})
TF_PROVIDER_KUBERNETES = GoBuild("terraform-provider-kubernetes", pins.TF_PROVIDER_KUBERNETES[1],
                                 {"terraform-provider-kubernetes": "github.com/hashicorp/terraform-provider-kubernetes"})
ACTIONLINT = GoBuild("actionlint", pins.ACTIONLINT, {"actionlint": "github.com/rhysd/actionlint/cmd/actionlint"},
                     ldflags=f"-X github.com/rhysd/actionlint.version={pins.ACTIONLINT}")
