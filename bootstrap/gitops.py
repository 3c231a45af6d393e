"""GitOps on kind (`make gitops-tools`; installed by the cluster bootstrap where asked): ArgoCD from its Go module
(one multi-call binary: application controller, repo server, ApplicationSet controller, server, notifications),
installed from the install manifest that ships in the same module; Redis from Debian's package; and the in-cluster
Git server (images/git-server) the local GitOps delivery pushes the working tree to (localenv/gitops.py).

Not part of `make tools`: ArgoCD's compile (about 8 min on 2 cores) is paid only by the targets that deliver
through it, so CI's cold build stays inside its budget.
"""

import base64
import copy
import secrets
from dataclasses import dataclass
from pathlib import Path

import yaml

import contract
from contract import pins

from . import gotools
from .cache import module_source
from .docker_engine import ensure_engine
from .images import ImageRecipe, build_image
from .progress import step
from .rootfs import BASE, Rootfs, ensure_rootfs_image

# git for the repo server and the Git server; gnupg and ssh as ArgoCD's image has them (commit verification, SSH
# repositories); tini as its entrypoint (the manifests give only arguments); redis-server for its cache.
GITOPS_ROOTFS = Rootfs(
    "gitops-base", BASE.packages + ("git", "gnupg", "gpg-agent", "openssh-client", "tini", "tzdata", "redis-server")
)
ARGOCD_USER = "999:999"  # the manifests run as 999 and mount its home's config folders
# The names ArgoCD's binary answers to (its Dockerfile's links), each a component the manifests start.
ARGOCD_COMMANDS = (
    "argocd-server",
    "argocd-repo-server",
    "argocd-cmp-server",
    "argocd-application-controller",
    "argocd-dex",
    "argocd-notifications",
    "argocd-applicationset-controller",
    "argocd-k8s-auth",
    "argocd-commit-server",
    "argocd-git-ask-pass",
)
CLUSTER_SCOPED = ("CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding")
DEX = "argocd-dex-server"  # single sign-on is the clouds' concern (stacks/delivery/argocd_sso.py): not on kind
GIT_SERVER = contract.GIT_SERVER
GIT_SERVER_PORT = contract.GIT_SERVER_PORT
# The Application controller's refresh period on kind (15 s, no jitter): what a push waits for at most before ArgoCD
# sees it. The clouds keep ArgoCD's 180 s (stacks/delivery/values/argo-cd.yaml).
RECONCILIATION = "15s"
# The push webhook (images/git-server/notify.go): the Git server announces each push to ArgoCD's /api/webhook as
# GitHub would, signed with the secret ArgoCD reads from argocd-secret, over TLS checked against the certificate
# argocd-server generates into that Secret. ArgoCD refreshes the Applications following the pushed branch at once;
# the RECONCILIATION poll stays as the fallback when a delivery fails.
WEBHOOK_SECRET_KEY = "webhook.github.secret"
ARGOCD_SECRET = "argocd-secret"
ARGOCD_WEBHOOK = f"https://argocd-server.{contract.ARGOCD_NAMESPACE}.svc/api/webhook"
# How long the Application controller takes a failing manifest generation for a passing repository problem before it
# shows the error on the Application (ArgoCD's default 180 s), shortened with the refresh period.
REPO_ERROR_GRACE = "15"


@dataclass(frozen=True)
class GitOpsTools:
    """What `make gitops-tools` produced: image tags by component, the install manifest."""

    images: dict
    install_manifest: str


def argocd_module() -> Path:
    """ArgoCD's module source: its Dockerfile's helper scripts and its install manifest."""
    return module_source("github.com/argoproj/argo-cd/v3", pins.ARGO_CD)


def recipes(base: str, helm: Path) -> dict[str, ImageRecipe]:
    """ArgoCD's image as its Dockerfile (in its module) builds it, on the Debian base: the binary under each of its
    names, its git and gpg wrappers, helm, the config folders its manifests mount into, user 999."""
    module = argocd_module()
    links = " && ".join(f"ln -s /usr/local/bin/argocd /usr/local/bin/{name}" for name in ARGOCD_COMMANDS)
    return {
        "argocd": ImageRecipe(
            tag=pins.ARGO_CD_IMAGE,
            base=base,
            files={
                "/usr/local/bin/argocd": gotools.ARGO_CD.path("argocd"),
                "/usr/local/bin/helm": helm,
                **{
                    f"/usr/local/bin/{name}": module / "hack" / name
                    for name in ("gpg-wrapper.sh", "git-verify-wrapper.sh")
                },
            },
            run=(
                links,
                "groupadd -g 999 argocd && useradd -r -u 999 -g argocd -m -d /home/argocd argocd",
                "mkdir -p /app/config/ssh /app/config/tls /app/config/gpg/source /app/config/gpg/keys && "
                "touch /app/config/ssh/ssh_known_hosts && "
                "ln -sf /app/config/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts && "
                "chown argocd /app/config/gpg/keys && chmod 0700 /app/config/gpg/keys && "
                "chmod 0755 /usr/local/bin/gpg-wrapper.sh /usr/local/bin/git-verify-wrapper.sh",
            ),
            env=(("USER", "argocd"), ("GRPC_ENABLE_TXT_SERVICE_CONFIG", "false")),
            workdir="/home/argocd",
            entrypoint=("/usr/bin/tini", "--"),
            user=ARGOCD_USER,
        ),
        "redis": ImageRecipe(
            tag=f"voiceplat/redis:{GITOPS_ROOTFS.image.rsplit(':', 1)[1]}",
            base=base,
            entrypoint=("/usr/bin/redis-server",),
            user=ARGOCD_USER,
        ),
    }


def build_gitops() -> GitOpsTools:
    """Builds (or finds cached) ArgoCD, its Redis and the Git server; records them for the cluster bootstrap."""
    from .toolchain import own_build

    with step("make gitops-tools"):
        ensure_engine()
        gotools.ARGO_CD.prefetch()
        gotools.ARGO_CD.build("gitops 1/2")
        git_server = own_build(GIT_SERVER).build("gitops 2/2")
        base = ensure_rootfs_image(GITOPS_ROOTFS)
        built = {
            **recipes(base, gotools.HELM.build() / "helm"),
            "gitServer": ImageRecipe(
                tag=f"voiceplat/{GIT_SERVER}:{git_server.name.rsplit('-', 1)[-1]}",
                base=base,
                files={"/usr/local/bin/git-server": git_server / GIT_SERVER},
                entrypoint=("/usr/local/bin/git-server",),
                user=ARGOCD_USER,
            ),
        }
        images = {
            key: build_image(recipe, f"gitops {i}/{len(built)}") for i, (key, recipe) in enumerate(built.items(), 1)
        }
    return GitOpsTools(images=images, install_manifest=str(argocd_module() / "manifests/install.yaml"))


def _pod_specs(document: dict) -> list[dict]:
    spec = document.get("spec", {}).get("template", {}).get("spec")
    return [spec] if spec else []


def argocd_manifests(tools: GitOpsTools, webhook_secret: str) -> list[dict]:
    """ArgoCD's install manifest as the clouds' chart installs it, on the local images: every image ArgoCD's own,
    Redis Debian's, no Dex, nothing pulled; the Application controller refreshing every RECONCILIATION; pushes
    announced by the Git server accepted when signed with `webhook_secret`."""
    text = Path(tools.install_manifest).read_text()
    documents = []
    for document in yaml.safe_load_all(text):
        if not document or document["metadata"]["name"].startswith(DEX):
            continue
        document = copy.deepcopy(document)
        if document["kind"] not in CLUSTER_SCOPED:
            document["metadata"].setdefault("namespace", contract.ARGOCD_NAMESPACE)
        for spec in _pod_specs(document):
            for container in spec.get("initContainers", []) + spec["containers"]:
                container["imagePullPolicy"] = "IfNotPresent"
                if container["image"].startswith("quay.io/argoproj/argocd:"):
                    container["image"] = tools.images["argocd"]
                elif container["name"] == "redis":
                    container["image"] = tools.images["redis"]
        if document["kind"] == "ConfigMap" and document["metadata"]["name"] == "argocd-cm":
            document["data"] = {
                **document.get("data", {}),
                "timeout.reconciliation": RECONCILIATION,
                "timeout.reconciliation.jitter": "0s",
                "admin.enabled": "true",
            }
        if document["kind"] == "ConfigMap" and document["metadata"]["name"] == "argocd-cmd-params-cm":
            document["data"] = {
                **(document.get("data") or {}),
                "controller.repo.error.grace.period.seconds": REPO_ERROR_GRACE,
            }
        if document["kind"] == "Secret" and document["metadata"]["name"] == ARGOCD_SECRET:
            document["stringData"] = {WEBHOOK_SECRET_KEY: webhook_secret}
        documents.append(document)
    return documents


def git_server_manifests(image: str) -> list[dict]:
    """The in-cluster Git server: one pod, its repositories on an emptyDir (the tooling pushes again after a
    restart), reachable in the cluster at contract.LOCAL_GIT_REPOSITORY and from the host at its NodePort; each push
    announced to ARGOCD_WEBHOOK (the secret and argocd-server's certificate from argocd-secret)."""
    labels = {"app.kubernetes.io/name": GIT_SERVER, "app.kubernetes.io/part-of": "argocd"}
    namespace = contract.ARGOCD_NAMESPACE
    probe = {"httpGet": {"path": "/healthz", "port": GIT_SERVER_PORT}, "periodSeconds": 5}
    return [
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": GIT_SERVER, "namespace": namespace, "labels": labels},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": labels},
                "strategy": {"type": "Recreate"},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {
                        "securityContext": {
                            "runAsNonRoot": True,
                            "runAsUser": 999,
                            "runAsGroup": 999,
                            "seccompProfile": {"type": "RuntimeDefault"},
                        },
                        "containers": [
                            {
                                "name": GIT_SERVER,
                                "image": image,
                                "imagePullPolicy": "IfNotPresent",
                                "env": [
                                    {"name": "GIT_PROJECT_ROOT", "value": "/srv/git"},
                                    {"name": "REPOSITORIES", "value": contract.LOCAL_GIT_REPOSITORY_NAME},
                                    {"name": "HOME", "value": "/srv/git"},
                                    {"name": "PUBLIC_URL", "value": contract.LOCAL_GIT_REPOSITORY.rsplit("/", 1)[0]},
                                    {"name": "PUSH_WEBHOOK_URL", "value": ARGOCD_WEBHOOK},
                                    {
                                        "name": "PUSH_WEBHOOK_SECRET",
                                        "valueFrom": {
                                            "secretKeyRef": {"name": ARGOCD_SECRET, "key": WEBHOOK_SECRET_KEY}
                                        },
                                    },
                                    {"name": "PUSH_WEBHOOK_CA", "value": "/etc/argocd-server/tls.crt"},
                                ],
                                "ports": [{"name": "http", "containerPort": GIT_SERVER_PORT}],
                                "readinessProbe": probe,
                                "livenessProbe": probe,
                                "resources": {
                                    "requests": {"cpu": "10m", "memory": "32Mi"},
                                    "limits": {"memory": "256Mi"},
                                },
                                "securityContext": {
                                    "allowPrivilegeEscalation": False,
                                    "readOnlyRootFilesystem": True,
                                    "capabilities": {"drop": ["ALL"]},
                                },
                                "volumeMounts": [
                                    {"name": "repositories", "mountPath": "/srv/git"},
                                    {"name": "tmp", "mountPath": "/tmp"},
                                    {"name": "argocd-server-tls", "mountPath": "/etc/argocd-server", "readOnly": True},
                                ],
                            }
                        ],
                        # argocd-server writes its certificate there at its first start (installed before this).
                        "volumes": [
                            {"name": "repositories", "emptyDir": {}},
                            {"name": "tmp", "emptyDir": {}},
                            {
                                "name": "argocd-server-tls",
                                "secret": {
                                    "secretName": ARGOCD_SECRET,
                                    "optional": True,
                                    "items": [{"key": "tls.crt", "path": "tls.crt"}],
                                },
                            },
                        ],
                    },
                },
            },
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": GIT_SERVER, "namespace": namespace, "labels": labels},
            "spec": {
                "type": "NodePort",
                "selector": labels,
                "ports": [
                    {
                        "name": "http",
                        "port": GIT_SERVER_PORT,
                        "targetPort": "http",
                        "nodePort": contract.GIT_SERVER_NODEPORT,
                    }
                ],
            },
        },
    ]


def install_phases(tools: GitOpsTools, webhook_secret: str) -> list[list[dict]]:
    """What the cluster bootstrap applies, each phase Ready before the next: ArgoCD (its server generates the
    certificate the Git server trusts), then the Git server."""
    namespace = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": contract.ARGOCD_NAMESPACE}}
    return [[namespace, *argocd_manifests(tools, webhook_secret)], git_server_manifests(tools.images["gitServer"])]


def webhook_secret(core) -> str:
    """The push webhook's secret: the one the cluster already has (a second `make cluster` keeps it: argocd-server
    reads it only at its start), else a new one."""
    import kubernetes  # the cluster bootstrap's virtualenv has it; `make gitops-tools` runs without

    try:
        data = core.read_namespaced_secret(ARGOCD_SECRET, contract.ARGOCD_NAMESPACE).data or {}
    except kubernetes.client.ApiException as error:
        if error.status != 404:
            raise
        data = {}
    existing = data.get(WEBHOOK_SECRET_KEY)
    return base64.b64decode(existing).decode() if existing else secrets.token_hex(20)


def rollouts(documents: list[dict]) -> list[tuple[str, str]]:
    """(kind, name) of every workload of `documents`: what the installation waits for."""
    return [(d["kind"], d["metadata"]["name"]) for d in documents if d["kind"] in ("Deployment", "StatefulSet")]
