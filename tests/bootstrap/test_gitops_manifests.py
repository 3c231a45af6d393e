"""ArgoCD's install manifest as the kind cluster gets it (bootstrap/gitops.py): on the local images, nothing pulled,
no Dex, namespaced into argocd, the short refresh period; the Git server reachable at the published NodePort and
announcing pushes to ArgoCD with the secret ArgoCD checks."""

import base64

import kubernetes
import yaml

import contract
from bootstrap.gitops import (
    ARGOCD_SECRET,
    ARGOCD_WEBHOOK,
    DEX,
    RECONCILIATION,
    REPO_ERROR_GRACE,
    WEBHOOK_SECRET_KEY,
    GitOpsTools,
    argocd_manifests,
    install_phases,
    rollouts,
    webhook_secret,
)

IMAGES = {"argocd": "quay.io/argoproj/argocd:v9.9.9", "redis": "voiceplat/redis:x", "gitServer": "voiceplat/git:x"}
UPSTREAM = [
    {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "applications.argoproj.io"},
    },
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "argocd-server"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cm"}, "data": {"exclusions": "x"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cmd-params-cm"}},
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "argocd-redis"},
        "spec": {
            "template": {
                "spec": {
                    "initContainers": [{"name": "secret-init", "image": "quay.io/argoproj/argocd:v3.6.1"}],
                    "containers": [
                        {
                            "name": "redis",
                            "image": "public.ecr.aws/docker/library/redis:8-alpine",
                            "imagePullPolicy": "Always",
                        }
                    ],
                }
            }
        },
    },
    {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": DEX},
        "spec": {"template": {"spec": {"containers": [{"name": "dex", "image": "ghcr.io/dexidp/dex:v2"}]}}},
    },
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"{DEX}"}},
    {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": ARGOCD_SECRET}, "type": "Opaque"},
]
SECRET = "s3cret"


def tools(tmp_path) -> GitOpsTools:
    manifest = tmp_path / "install.yaml"
    manifest.write_text(yaml.safe_dump_all(UPSTREAM))
    return GitOpsTools(images=IMAGES, install_manifest=str(manifest))


def containers(documents):
    return [
        c
        for d in documents
        if d["kind"] == "Deployment"
        for c in d["spec"]["template"]["spec"].get("initContainers", []) + d["spec"]["template"]["spec"]["containers"]
    ]


def test_every_container_runs_a_local_image_never_pulled(tmp_path):
    found = containers(argocd_manifests(tools(tmp_path), SECRET))
    assert {(c["name"], c["image"]) for c in found} == {("secret-init", IMAGES["argocd"]), ("redis", IMAGES["redis"])}
    assert {c["imagePullPolicy"] for c in found} == {"IfNotPresent"}


def test_dex_is_left_out_single_sign_on_is_the_clouds_concern(tmp_path):
    assert not [d for d in argocd_manifests(tools(tmp_path), SECRET) if d["metadata"]["name"].startswith(DEX)]


def test_namespaced_objects_go_to_the_argocd_namespace_and_cluster_objects_stay_unnamespaced(tmp_path):
    by_kind = {d["kind"]: d["metadata"] for d in argocd_manifests(tools(tmp_path), SECRET)}
    assert by_kind["ConfigMap"]["namespace"] == by_kind["Deployment"]["namespace"] == contract.ARGOCD_NAMESPACE
    assert "namespace" not in by_kind["ClusterRole"] and "namespace" not in by_kind["CustomResourceDefinition"]


def test_argocd_refreshes_every_reconciliation_period_without_jitter_and_keeps_its_other_settings(tmp_path):
    maps = {
        d["metadata"]["name"]: d["data"] for d in argocd_manifests(tools(tmp_path), SECRET) if d["kind"] == "ConfigMap"
    }
    assert maps["argocd-cm"] == {
        "exclusions": "x",
        "timeout.reconciliation": RECONCILIATION,
        "timeout.reconciliation.jitter": "0s",
        "admin.enabled": "true",
    }
    assert maps["argocd-cmd-params-cm"] == {"controller.repo.error.grace.period.seconds": REPO_ERROR_GRACE}


def test_the_git_server_is_published_at_the_nodeport_the_kind_node_maps(tmp_path):
    from bootstrap.cluster import NODEPORTS

    (service,) = [
        d for d in every_document(tmp_path) if d["kind"] == "Service" and d["metadata"]["name"] == "git-server"
    ]
    assert service["spec"]["ports"][0]["nodePort"] == contract.GIT_SERVER_NODEPORT in NODEPORTS
    assert contract.LOCAL_GIT_REPOSITORY.startswith(
        f"http://git-server.{contract.ARGOCD_NAMESPACE}.svc:{service['spec']['ports'][0]['port']}/"
    )


def every_document(tmp_path) -> list[dict]:
    return [document for phase in install_phases(tools(tmp_path), SECRET) for document in phase]


def test_the_installation_waits_for_argocd_then_for_the_git_server_that_trusts_its_certificate(tmp_path):
    argocd, git_server = install_phases(tools(tmp_path), SECRET)
    assert (rollouts(argocd), rollouts(git_server)) == (
        [("Deployment", "argocd-redis")],
        [("Deployment", "git-server")],
    )


def test_the_git_server_announces_pushes_to_argocd_signed_with_the_secret_argocd_checks(tmp_path):
    (secret,) = [d for d in every_document(tmp_path) if d["kind"] == "Secret"]
    assert secret["stringData"] == {WEBHOOK_SECRET_KEY: SECRET}
    (server,) = [
        d for d in every_document(tmp_path) if d["metadata"]["name"] == "git-server" and d["kind"] == "Deployment"
    ]
    pod = server["spec"]["template"]["spec"]
    env = {e["name"]: e.get("value", e.get("valueFrom")) for e in pod["containers"][0]["env"]}
    assert env["PUSH_WEBHOOK_URL"] == ARGOCD_WEBHOOK
    assert env["PUSH_WEBHOOK_SECRET"] == {"secretKeyRef": {"name": ARGOCD_SECRET, "key": WEBHOOK_SECRET_KEY}}
    # ArgoCD matches the announced repository against each Application's repoURL: the URL the Applications use.
    assert f"{env['PUBLIC_URL']}/{contract.LOCAL_GIT_REPOSITORY_NAME}.git" == contract.LOCAL_GIT_REPOSITORY
    (mount,) = [m for m in pod["containers"][0]["volumeMounts"] if env["PUSH_WEBHOOK_CA"].startswith(m["mountPath"])]
    (volume,) = [v for v in pod["volumes"] if v["name"] == mount["name"]]
    assert volume["secret"]["secretName"] == ARGOCD_SECRET and volume["secret"]["items"][0]["key"] == "tls.crt"


class Secrets:
    def __init__(self, data=None, status=None):
        self.data, self.status = data, status

    def read_namespaced_secret(self, name, namespace):
        assert (name, namespace) == (ARGOCD_SECRET, contract.ARGOCD_NAMESPACE)
        if self.status:
            raise kubernetes.client.ApiException(status=self.status)
        return kubernetes.client.V1Secret(data=self.data)


def test_the_webhook_secret_is_kept_across_installs_and_new_otherwise():
    kept = base64.b64encode(b"already").decode()
    assert webhook_secret(Secrets({WEBHOOK_SECRET_KEY: kept})) == "already"
    fresh = {webhook_secret(Secrets(status=404)), webhook_secret(Secrets({"server.secretkey": kept}))}
    assert len(fresh) == 2 and all(len(s) >= 32 for s in fresh)
