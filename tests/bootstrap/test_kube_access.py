"""The one cluster access layer (bootstrap/kubeapi.py): its conditions read API objects as kubectl would, its errors
name the problem and the fix, and the commands that run with the system python never import `kubernetes`."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from kubernetes.client import (
    V1APIService,
    V1APIServiceCondition,
    V1APIServiceStatus,
    V1Deployment,
    V1DeploymentSpec,
    V1DeploymentStatus,
    V1LabelSelector,
    V1Node,
    V1NodeCondition,
    V1NodeStatus,
    V1ObjectMeta,
    V1PodTemplateSpec,
    V1Service,
    V1ServicePort,
    V1ServiceSpec,
)

from bootstrap import kubeapi
from bootstrap.errors import BootstrapError
from localenv.__main__ import service_lines

ROOT = Path(__file__).resolve().parents[2]


def test_the_tools_and_docker_commands_import_nothing_that_needs_the_kubernetes_package():
    # `make tools` and `make docker` run `python3 -m bootstrap` with the system python, which has no `kubernetes`.
    script = textwrap.dedent("""
        import sys

        class NoKubernetes:
            def find_spec(self, name, path=None, target=None):
                if name == "kubernetes" or name.startswith("kubernetes."):
                    raise ImportError(f"{name} imported by a system-python command")

        sys.meta_path.insert(0, NoKubernetes())
        import bootstrap.__main__, bootstrap.docker_engine, bootstrap.toolchain
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def deployment(*, replicas=2, updated=2, available=2, total=2, generation=3, observed=3):
    return V1Deployment(
        metadata=V1ObjectMeta(name="coredns", generation=generation),
        spec=V1DeploymentSpec(replicas=replicas, selector=V1LabelSelector(), template=V1PodTemplateSpec()),
        status=V1DeploymentStatus(
            updated_replicas=updated, available_replicas=available, replicas=total, observed_generation=observed
        ),
    )


def test_a_deployment_is_rolled_out_when_every_wanted_replica_is_updated_and_available():
    assert kubeapi.rolled_out(deployment()) == (True, "2 updated, 2 available, 2 total of 2 wanted")


@pytest.mark.parametrize("change", [{"available": 1}, {"updated": 1}, {"total": 3}])
def test_a_deployment_with_a_replica_missing_or_of_an_older_template_is_not_rolled_out(change):
    met, seen = kubeapi.rolled_out(deployment(**change))
    assert not met and "of 2 wanted" in seen


def test_a_deployment_whose_newest_spec_the_controller_has_not_seen_is_not_rolled_out():
    met, seen = kubeapi.rolled_out(deployment(generation=4, observed=3))
    assert not met and seen.startswith("generation 4 not yet observed")


def node(name, ready):
    return V1Node(
        metadata=V1ObjectMeta(name=name), status=V1NodeStatus(conditions=[V1NodeCondition(type="Ready", status=ready)])
    )


def test_nodes_are_ready_when_all_of_the_expected_count_report_ready():
    assert kubeapi.nodes_ready([node("a", "True"), node("b", "True")], 2)[0]
    met, seen = kubeapi.nodes_ready([node("a", "True"), node("b", "False")], 2)
    assert not met and seen == "Ready: {'a': 'True', 'b': 'False'}"
    assert not kubeapi.nodes_ready([node("a", "True")], 2)[0]


def test_an_api_service_is_available_only_with_its_available_condition_true():
    def service(status):
        conditions = (
            [V1APIServiceCondition(type="Available", status=status, reason="MissingEndpoints", message="no endpoints")]
            if status
            else None
        )
        return V1APIService(
            metadata=V1ObjectMeta(name="v1beta1.metrics.k8s.io"), status=V1APIServiceStatus(conditions=conditions)
        )

    assert kubeapi.api_service_available(service("True"))[0]
    met, seen = kubeapi.api_service_available(service("False"))
    assert not met and "MissingEndpoints" in seen
    assert kubeapi.api_service_available(service(None)) == (
        False,
        "APIService v1beta1.metrics.k8s.io Available: no condition yet",
    )


def write_kubeconfig(path: Path, current: str | None) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": current,
                "clusters": [{"name": "kind-a", "cluster": {"server": "https://127.0.0.1:1"}}],
                "users": [{"name": "kind-a", "user": {"token": "t"}}],
                "contexts": [{"name": "kind-a", "context": {"cluster": "kind-a", "user": "kind-a"}}],
            }
        )
    )
    return path


def test_the_current_context_is_the_kubeconfigs_own(tmp_path):
    assert kubeapi.current_context(str(write_kubeconfig(tmp_path / "config", "kind-a"))) == "kind-a"


def test_a_context_missing_from_the_kubeconfig_is_named_with_the_fix(tmp_path):
    config = write_kubeconfig(tmp_path / "config", "kind-a")
    with pytest.raises(BootstrapError) as error:
        kubeapi.ClusterApi("kind-b", str(config))
    assert "kind-b" in str(error.value) and str(config) in str(error.value) and "make cluster" in str(error.value)


def test_no_kubeconfig_at_all_is_named_with_the_fix(tmp_path):
    with pytest.raises(BootstrapError) as error:
        kubeapi.current_context(str(tmp_path / "absent"))
    assert str(tmp_path / "absent") in str(error.value) and "fix:" in str(error.value)


def test_an_unreachable_api_server_is_an_answer_not_an_exception(tmp_path):
    api = kubeapi.ClusterApi("kind-a", str(write_kubeconfig(tmp_path / "config", "kind-a")))
    ready, seen = api.readyz(timeout=2)
    assert not ready and "Error" in seen


class FakeResource:
    def __init__(self, applied, kind):
        self.applied, self.kind = applied, kind

    def server_side_apply(self, body, field_manager, force_conflicts):
        self.applied.append((self.kind, body["metadata"]["name"], field_manager, force_conflicts))


def test_apply_server_side_applies_every_document_of_a_manifest_as_the_project(tmp_path):
    api = kubeapi.ClusterApi("kind-a", str(write_kubeconfig(tmp_path / "config", "kind-a")))
    applied = []
    api._dynamic = type(
        "Dynamic",
        (),
        {
            "resources": type(
                "Resources", (), {"get": staticmethod(lambda api_version, kind: FakeResource(applied, kind))}
            )()
        },
    )()
    manifest = (
        "# a comment\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: plugin}\n---\n"
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: plugin}\n---\n"
    )
    assert api.apply(manifest, step="test") == ["DaemonSet/plugin", "NetworkPolicy/plugin"]
    assert applied == [("DaemonSet", "plugin", "voiceplat", True), ("NetworkPolicy", "plugin", "voiceplat", True)]


def test_make_up_prints_a_nodeport_as_a_host_url_and_anything_else_as_a_port_forward():
    def service(name, kind, port, node_port=None):
        return V1Service(
            metadata=V1ObjectMeta(name=name),
            spec=V1ServiceSpec(type=kind, ports=[V1ServicePort(port=port, node_port=node_port)]),
        )

    lines = service_lines([service("stt", "ClusterIP", 80), service("api", "NodePort", 80, 30080)], "kind-x")
    assert [line.split() for line in lines] == [
        ["api", "http://127.0.0.1:30080"],
        [
            "stt",
            "kubectl",
            "--context",
            "kind-x",
            "-n",
            "voiceplat",
            "port-forward",
            "svc/stt",
            "8101:80",
            "->",
            "http://127.0.0.1:8101",
        ],
    ]


def test_make_up_prints_each_ingress_rule_as_a_curl_with_its_host_header():
    from kubernetes.client import (
        V1HTTPIngressPath,
        V1HTTPIngressRuleValue,
        V1Ingress,
        V1IngressBackend,
        V1IngressRule,
        V1IngressServiceBackend,
        V1IngressSpec,
    )

    from localenv.__main__ import ingress_lines

    ingress = V1Ingress(
        metadata=V1ObjectMeta(name="rest-api"),
        spec=V1IngressSpec(
            rules=[
                V1IngressRule(
                    host="api.voiceplat.localhost",
                    http=V1HTTPIngressRuleValue(
                        paths=[
                            V1HTTPIngressPath(
                                path="/",
                                path_type="Prefix",
                                backend=V1IngressBackend(service=V1IngressServiceBackend(name="rest-api")),
                            )
                        ]
                    ),
                )
            ]
        ),
    )
    assert [line.split() for line in ingress_lines([ingress])] == [
        ["rest-api", "curl", "-H", "'Host:", "api.voiceplat.localhost'", "http://127.0.0.1:30082/"]
    ]


def test_a_cluster_wait_that_times_out_is_an_error_line_not_a_traceback(monkeypatch, capsys):
    import bootstrap.cluster
    from bootstrap.__main__ import main
    from bootstrap.waiting import WaitTimeout

    def times_out(name, gitops=False):
        raise WaitTimeout("expected 3 nodes Ready within 180s; last seen: Ready: {'a': 'False'}")

    monkeypatch.setattr(bootstrap.cluster, "cluster_up", times_out)
    assert main(["cluster-up"]) == 1
    assert capsys.readouterr().err == "error: expected 3 nodes Ready within 180s; last seen: Ready: {'a': 'False'}\n"
