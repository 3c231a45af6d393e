"""Every pinned version the local environment and the e2e suite depend on, in one place."""

KUBERNETES = "v1.34.4"  # 1.35+ kubelets refuse cgroup v1 hosts by default: stay on 1.34.x
# The minor kind builds and kubeconform validates the charts against; the cloud clusters run it or the next one
# (stacks/environments/catalog.py KUBERNETES_VERSION; validation.py refuses a wider skew).
KUBERNETES_MINOR = ".".join(KUBERNETES.lstrip("v").split(".")[:2])
KIND = "v0.30.0"
HELM = "v3.19.5"
KUBECONFORM = "v0.7.0"
# Chart tests (`make chart-test`): built from their Go modules in both modes (bootstrap/gomod/<name>).
CHART_TESTING = "v3.13.0"
HELM_UNITTEST = "v1.1.2"
# The dashboards' schema check (bootstrap/gomod/dashboard-check): the Grafana Foundation SDK's Go module, whose types
# are generated from Grafana's own dashboard schema (Grafana itself is not served here).
GRAFANA_FOUNDATION_SDK = "v0.0.22"
METRICS_SERVER = "v0.8.0"
LOCAL_PATH_PROVISIONER = "v0.0.30"
# Exactly what `kubeadm config images list` prints for KUBERNETES (cmd/kubeadm/app/constants/constants.go).
ETCD = "3.6.5-0"
COREDNS = "v1.12.1"
PAUSE = "3.10.1"

# The kind cluster's Service range (kind's default, pinned: podnet fences it off, see podnet.sh).
SERVICE_SUBNET = "10.96.0.0/16"

# Online mode: the node image kind KIND was released with, by digest.
UPSTREAM_NODE_IMAGE = "kindest/node:v1.34.0@sha256:7416a61b42b1662ca6ca89f02028ac133a309a2a30ba309614e8ec94d976dc5a"
UPSTREAM_KUBERNETES = "v1.34.0"
UPSTREAM_METRICS_SERVER_IMAGE = f"registry.k8s.io/metrics-server/metrics-server:{METRICS_SERVER}"


def kubernetes_version_ldflags(version: str) -> str:
    """-X flags that give the built binaries the version strings kubeadm and kubectl check."""
    major, minor = version.lstrip("v").split(".")[:2]
    flags = []
    for package in ("k8s.io/component-base/version", "k8s.io/client-go/pkg/version"):
        flags += [
            f"-X {package}.{key}={value}"
            for key, value in (
                ("gitVersion", version),
                ("gitMajor", major),
                ("gitMinor", minor),
                ("gitTreeState", "clean"),
                ("gitCommit", "0" * 40),
                ("buildDate", "1970-01-01T00:00:00Z"),
            )
        ]
    return " ".join(flags)


# NetworkPolicy enforcement on kind, beside podnet: kube-router's firewall controller alone (iptables + ipset; no
# routing, no service proxy). sigs.k8s.io/kube-network-policies (v0.8.0 served) needs nftables' `queue` expression,
# which this workplace's kernel lacks (CONFIG_NFT_QUEUE unset: `nft add rule ... queue` fails with ENOENT), while the
# xtables NFQUEUE/set matches it uses are there. v2.1.0 is the one kube-router/v2 version the Go proxy serves here;
# its reported flaws concern BGP and the service proxy, which are not run.
KUBE_ROUTER = "v2.1.0"

OPENTOFU = "v1.10.6"
# The Terraform providers' v2+ tags lack a /vN module path, so the Go proxy serves them only by commit. These are
# the newest commits it serves; the versions are those their CHANGELOGs name (main after the release).
TF_PROVIDER_HELM = ("3.2.0", "v1.3.3-0.20260629194918-a4f1c1d8b008")
# The cluster objects the stacks own (namespaces, StorageClasses, generated Secrets): main after 3.2.1, whose
# resources keep the shape of the cdktf bindings' 2.38.0 (3.0 only deprecated the unversioned names; the stacks use
# the _v1 ones).
TF_PROVIDER_KUBERNETES = ("3.2.1", "v1.13.4-0.20260821094251-3a33fb6cc605")
# The cloud providers, only for `make validate-cloud` (never for `make tools`: the largest Go builds there are).
# The one commit the proxy serves of each (exact tags and other commits are refused): aws main after 6.47.0
# (its version/VERSION says 6.47.1) and azurerm main after 5.2.0. The cdktf bindings describe aws 6.25.0 and
# azurerm 4.55.0, so `make validate-cloud` validates the stacks against these newer providers.
TF_PROVIDER_AWS = ("6.47.1", "v1.60.1-0.20260602190131-5f2286d6d836")
# What the AWS stacks ask the registry for: the release that commit follows (6.47.0, 2026-05-27; the commit's
# unreleased CHANGELOG entries touch no resource the stacks use), so a cloud deploy runs the provider code that
# validate-cloud and emulate-aws checked, not the bindings' 6.25.0. azurerm stays at its bindings' 4.55.0: the
# proxy's 5.x is a major ahead (stackcheck/validate/upgrades.py lists what moving takes).
TF_PROVIDER_AWS_RELEASE = "6.47.0"
TF_PROVIDER_AZURERM = ("5.2.0", "v1.44.1-0.20260824201233-fae580791926")

# The GitHub Actions workflows' linter (`make workflow-lint`); built from the Go module proxy on both paths.
ACTIONLINT = "v1.7.12"
# The shell scripts' linter (`make lint`): Debian bookworm's package, installed with apt when missing
# (bootstrap/shellcheck.py). ruff and mypy are pinned with the Python packages (pyproject.toml).
SHELLCHECK_DEB = "0.9.0-1"

# Monitoring on kind: the clouds' monitoring path on the local cluster. Prometheus and promtool from the Go module
# (v0.3XX.Y is Prometheus 3.XX.Y; Debian's 2.42 package is built without Kubernetes service discovery, so it
# scrapes nothing on a cluster); Alertmanager is Debian's prebuilt package (prometheus-operator supports both
# versions and adapts its flags to the one it is told).
PROMETHEUS = "v0.316.0"
ALERTMANAGER_DEB = "0.25.0-1+b4"
PROMETHEUS_OPERATOR = "v0.85.0"
PROMETHEUS_ADAPTER = "v0.12.0"
# v2.17.0 is refused by the module proxy here and v2.16.0 has no checksum database entry: v2.15.0 is the newest served.
KUBE_STATE_METRICS = "v2.15.0"


def prometheus_release(module_version: str) -> str:
    """The Prometheus release a module version is (what the operator is told it runs): v0.316.0 -> v3.16.0."""
    minor, patch = module_version.lstrip("v").split(".")[1:]
    return f"v{int(minor) // 100}.{int(minor) % 100}.{patch}"


def upstream_version(debian_version: str) -> str:
    """The upstream release a Debian package version carries: 2.42.0+ds-5+deb12u1 -> v2.42.0."""
    return "v" + debian_version.split("+")[0].split("-")[0]


# The monitoring images `make tools` builds, by component. Those that upstream manifests or the operator's defaults
# name (operator, config reloader, kube-state-metrics) carry exactly those names, as the Kubernetes images do.
MONITORING_IMAGES = {
    "prometheus": f"voiceplat/prometheus:{prometheus_release(PROMETHEUS)}",
    "alertmanager": f"voiceplat/alertmanager:{upstream_version(ALERTMANAGER_DEB)}",
    "operator": f"quay.io/prometheus-operator/prometheus-operator:{PROMETHEUS_OPERATOR}",
    "configReloader": f"quay.io/prometheus-operator/prometheus-config-reloader:{PROMETHEUS_OPERATOR}",
    "adapter": f"voiceplat/prometheus-adapter:{PROMETHEUS_ADAPTER}",
    "kubeStateMetrics": f"registry.k8s.io/kube-state-metrics/kube-state-metrics:{KUBE_STATE_METRICS}",
    "alertReceiver": "voiceplat/alert-receiver:dev",  # images/alert-receiver, rebuilt when its source changes
}
# GitOps on kind (`make gitops-tools`, not `make tools`: about 8 min of compile that only the gitops targets need).
# argo-cd v3.6 needs Go 1.27, newer than the machine's: its toolchain comes from the module proxy (v3.5.x does not
# resolve there; v2.14 would build with the machine's Go but is out of support).
ARGO_CD = "v3.6.1"
ARGO_CD_GO_TOOLCHAIN = "go1.27.4"
ARGO_CD_KUBECTL = "v0.37.0"  # the client-go its wrapper module pins (what `argocd version` reports as kubectl's)
ARGO_CD_IMAGE = f"quay.io/argoproj/argocd:{ARGO_CD}"  # the name its install manifests use
# The Ingress controller on kind: ingress-nginx's controller from its Go module (the proxy's newest pseudo-version;
# the module also holds the controller's nginx template), its nginx from Debian (bootstrap/ingress.py says why).
INGRESS_NGINX = "v0.0.0-20240708192948-52c50467d67d"
INGRESS_NGINX_CONTROLLER = "v1.11.0"  # the controller release that commit is (its chart's appVersion, 4.11.0)

# RabbitMQ on kind (bootstrap/rabbitmq.py): Debian bookworm's package with its bundled rabbitmq_prometheus plugin
# (the per-object queue metrics the clouds' HPAs read); the image build fails when the archive serves another version.
RABBITMQ_DEB = "3.10.8-1.1+deb12u1"
RABBITMQ_IMAGE = f"voiceplat/rabbitmq:{upstream_version(RABBITMQ_DEB)}"

# Temporal on kind (bootstrap/temporal.py): the server and temporal-sql-tool from the Go module proxy, the version
# the cloud chart runs (stacks/delivery/upstream_charts.py temporal 0.62.0, appVersion 1.27.2), over Debian's
# PostgreSQL 15 (persistence and visibility both; no Cassandra or Elasticsearch on kind). The Python worker's SDK is
# the PyPI wheel (its Rust core inside), pinned in images/temporal-worker-python/requirements.txt.
TEMPORAL = "v1.27.2"
POSTGRESQL_MAJOR = "15"  # Debian bookworm's postgresql-15, beside its prometheus-postgres-exporter
# The images `make tools` builds for Temporal on kind (bootstrap/temporal.py), loaded into the nodes; the local
# stack's Temporal chart and the platform's Python worker run them.
TEMPORAL_IMAGES = {
    "server": f"voiceplat/temporal-server:{TEMPORAL.lstrip('v')}",
    "adminTools": f"voiceplat/temporal-admin-tools:{TEMPORAL.lstrip('v')}",
    "postgresql": f"voiceplat/postgresql:{POSTGRESQL_MAJOR}",
    "workerPython": "voiceplat/temporal-worker-python:dev",  # images/temporal-worker-python
}
# LiveKit on kind (bootstrap/livekit.py): the server from its Go module. v1.13.5 is the newest whose build needs only
# served modules: v1.13.6 and later replace pion's webrtc, dtls and ice with LiveKit's forks
# (github.com/livekit/{webrtc-pion,dtls,ice}), which the module proxy refuses at every version they name. Its Redis
# is Debian bookworm's redis-server (7.0; the clouds run redis:7.4.6-bookworm: docs/local-environment.md).
LIVEKIT = "v1.13.5"
# The images `make tools` builds for it, by the keys of the local LiveKit chart's `images`; `participants` is the
# e2e suite's synthetic callers (images/livekit-participants).
LIVEKIT_IMAGES = {
    "livekit": f"voiceplat/livekit:{LIVEKIT}",
    "redis": "voiceplat/livekit-redis:bookworm",
    "redisMetrics": "voiceplat/redis-metrics:dev",  # images/redis-metrics, rebuilt when its source changes
    "participants": "voiceplat/livekit-participants:dev",
}
