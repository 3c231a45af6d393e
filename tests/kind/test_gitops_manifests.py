"""ArgoCD's install manifest as the kind cluster gets it (bootstrap/gitops.py): on the local images, nothing pulled,
no Dex, namespaced into argocd, the short refresh period; and the Git server reachable at the published NodePort."""
import yaml

import contract
from bootstrap.gitops import DEX, RECONCILIATION, REPO_ERROR_GRACE, GitOpsTools, argocd_manifests, cluster_manifests, rollouts

IMAGES = {"argocd": "quay.io/argoproj/argocd:v9.9.9", "redis": "voiceplat/redis:x", "gitServer": "voiceplat/git:x"}
UPSTREAM = [
    {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
     "metadata": {"name": "applications.argoproj.io"}},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "argocd-server"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cm"}, "data": {"exclusions": "x"}},
    {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "argocd-cmd-params-cm"}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "argocd-redis"}, "spec": {"template": {
        "spec": {"initContainers": [{"name": "secret-init", "image": "quay.io/argoproj/argocd:v3.6.1"}],
                 "containers": [{"name": "redis", "image": "public.ecr.aws/docker/library/redis:8-alpine",
                                 "imagePullPolicy": "Always"}]}}}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": DEX}, "spec": {"template": {
        "spec": {"containers": [{"name": "dex", "image": "ghcr.io/dexidp/dex:v2"}]}}}},
    {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"{DEX}"}},
]


def tools(tmp_path) -> GitOpsTools:
    manifest = tmp_path / "install.yaml"
    manifest.write_text(yaml.safe_dump_all(UPSTREAM))
    return GitOpsTools(images=IMAGES, install_manifest=str(manifest))


def containers(documents):
    return [c for d in documents if d["kind"] == "Deployment"
            for c in d["spec"]["template"]["spec"].get("initContainers", []) + d["spec"]["template"]["spec"]["containers"]]


def test_every_container_runs_a_local_image_never_pulled(tmp_path):
    found = containers(argocd_manifests(tools(tmp_path)))
    assert {(c["name"], c["image"]) for c in found} == {("secret-init", IMAGES["argocd"]), ("redis", IMAGES["redis"])}
    assert {c["imagePullPolicy"] for c in found} == {"IfNotPresent"}


def test_dex_is_left_out_single_sign_on_is_the_clouds_concern(tmp_path):
    assert not [d for d in argocd_manifests(tools(tmp_path)) if d["metadata"]["name"].startswith(DEX)]


def test_namespaced_objects_go_to_the_argocd_namespace_and_cluster_objects_stay_unnamespaced(tmp_path):
    by_kind = {d["kind"]: d["metadata"] for d in argocd_manifests(tools(tmp_path))}
    assert by_kind["ConfigMap"]["namespace"] == by_kind["Deployment"]["namespace"] == contract.ARGOCD_NAMESPACE
    assert "namespace" not in by_kind["ClusterRole"] and "namespace" not in by_kind["CustomResourceDefinition"]


def test_argocd_refreshes_every_reconciliation_period_without_jitter_and_keeps_its_other_settings(tmp_path):
    maps = {d["metadata"]["name"]: d["data"] for d in argocd_manifests(tools(tmp_path)) if d["kind"] == "ConfigMap"}
    assert maps["argocd-cm"] == {"exclusions": "x", "timeout.reconciliation": RECONCILIATION,
                                 "timeout.reconciliation.jitter": "0s", "admin.enabled": "true"}
    assert maps["argocd-cmd-params-cm"] == {"controller.repo.error.grace.period.seconds": REPO_ERROR_GRACE}


def test_the_git_server_is_published_at_the_nodeport_the_kind_node_maps(tmp_path):
    from bootstrap.cluster import NODEPORTS
    (service,) = [d for d in cluster_manifests(tools(tmp_path)) if d["kind"] == "Service" and d["metadata"]["name"]
                  == "git-server"]
    assert service["spec"]["ports"][0]["nodePort"] == contract.GIT_SERVER_NODEPORT in NODEPORTS
    assert contract.LOCAL_GIT_REPOSITORY.startswith(
        f"http://git-server.{contract.ARGOCD_NAMESPACE}.svc:{service['spec']['ports'][0]['port']}/")


def test_the_installation_waits_for_every_workload_it_applies(tmp_path):
    assert rollouts(cluster_manifests(tools(tmp_path))) == [("Deployment", "argocd-redis"),
                                                            ("Deployment", "git-server")]
