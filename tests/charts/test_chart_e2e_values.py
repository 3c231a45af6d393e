"""What the end-to-end suite relies on from values/env-local.yaml (kind, namespace voiceplat, no registry,
Prometheus, Alertmanager and prometheus-adapter from the local stack, a fake GPU node with 2 GPUs)."""

import pytest

import chartkit
import contract
from contract import pins

pytestmark = [pytest.mark.charts, pytest.mark.slow]
STANDIN = "voiceplat/standin:dev"
# The one service that runs an image of its own on kind: a real Python Temporal worker (images/temporal-worker-python).
OWN_IMAGES = {"temporal-worker-python": pins.TEMPORAL_IMAGES["workerPython"]}
NODE_PORT = 30080
FAKE_GPUS = 2


@pytest.fixture(scope="module")
def e2e(parsed):
    """chart -> objects of its ci-local render (values/env-local.yaml)."""
    return {s.chart: parsed[s] for s in parsed if s.name == "ci-local"}


def all_docs(e2e):
    return [doc for docs in e2e.values() for doc in docs]


def deployments(e2e):
    return chartkit.by_kind(all_docs(e2e), "Deployment")


def test_every_service_of_every_chart_is_deployed(e2e):
    assert set(e2e) == set(chartkit.CHARTS)
    assert set(deployments(e2e)) == {
        name for chart in chartkit.CHARTS for name in chartkit.chart_values(chart)["services"]
    }


def test_every_workload_runs_the_standin_image_loaded_into_the_nodes(e2e):
    for doc in all_docs(e2e):
        spec = chartkit.pod_spec(doc)
        if spec is not None and not chartkit.hooks(doc):
            container = spec["containers"][0]
            image = OWN_IMAGES.get(doc["metadata"]["name"], STANDIN)
            assert (container["image"], container["imagePullPolicy"]) == (image, "IfNotPresent"), doc["metadata"][
                "name"
            ]


def test_the_rest_api_is_reachable_from_the_host_on_node_port_30080(e2e):
    service = chartkit.by_kind(all_docs(e2e), "Service")["rest-api"]
    assert service["spec"]["type"] == "NodePort"
    assert [(p["port"], p["nodePort"]) for p in service["spec"]["ports"]] == [(80, NODE_PORT)]
    policy = chartkit.by_kind(all_docs(e2e), "NetworkPolicy")["rest-api"]
    assert {"ports": [{"port": "http", "protocol": "TCP"}]} in policy["spec"]["ingress"], (
        "NodePort traffic is not allowed in"
    )


# CRD groups the kind cluster serves: prometheus-operator's, installed with the cluster (bootstrap/monitoring.py).
KIND_CRD_GROUPS = {"monitoring.coreos.com"}


def test_no_object_needs_a_crd_that_kind_lacks(e2e):
    groups = {doc["apiVersion"].split("/")[0] for doc in all_docs(e2e)}
    assert not {g for g in groups if "." in g and not g.endswith(".k8s.io")} - KIND_CRD_GROUPS, groups


def test_hpas_scale_on_cpu_and_memory_as_in_the_clouds_and_return_to_minimum_within_30_seconds(e2e):
    hpas = chartkit.by_kind(all_docs(e2e), "HorizontalPodAutoscaler")
    assert "rest-api" in hpas
    on_memory = set()
    for name, hpa in hpas.items():
        resources = [m["resource"]["name"] for m in hpa["spec"]["metrics"] if m["type"] == "Resource"]
        # The engines that set no memory target (memoryUtilization 0) scale on CPU and their own metrics alone.
        assert resources in (["cpu", "memory"], ["cpu"]), name
        on_memory |= {name} if "memory" in resources else set()
        assert hpa["spec"]["minReplicas"] == 1, name
        assert hpa["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] <= 30, name
    # The memory claim's service, and every platform service with it: kind keeps no HPA metric of the clouds off.
    assert {"integrations", "rest-api", "text", "voice"} <= on_memory, sorted(on_memory)


def test_containers_serve_the_standin_contract_on_port_8080(e2e):
    for name, deployment in deployments(e2e).items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        assert container["ports"] == [{"name": "http", "containerPort": 8080, "protocol": "TCP"}], name
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}, name
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}, name


def test_requests_are_small_enough_for_a_laptop_cluster(e2e):
    for name, deployment in deployments(e2e).items():
        requests = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
        # The stand-ins' floor; a real worker (Python and the SDK's Rust core, about 80 MiB resident) asks for more.
        memory = "128Mi" if name in OWN_IMAGES else "64Mi"
        assert (requests["cpu"], requests["memory"]) == ("50m", memory), name


def test_only_the_deepgram_engine_takes_a_gpu_and_it_leaves_one_free(e2e):
    gpu_users = {}
    for name, deployment in deployments(e2e).items():
        requests = deployment["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"]
        wanted = requests.get(contract.GPU_RESOURCE)
        if wanted:
            gpu_users[name] = wanted * deployment["spec"].get("replicas", 1)
    assert gpu_users == {"deepgram-engine": 1}
    assert "deepgram-engine" not in chartkit.by_kind(all_docs(e2e), "HorizontalPodAutoscaler")
    assert sum(gpu_users.values()) < FAKE_GPUS


def test_every_dependency_has_its_url_in_the_service_config(e2e):
    config = chartkit.by_kind(all_docs(e2e), "ConfigMap")
    services = chartkit.by_kind(all_docs(e2e), "Service")
    for name, deployment in deployments(e2e).items():
        data = config[f"{name}-config"]["data"]
        declared = [d for d in data["VOICEPLAT_DEPENDENCIES"].split(",") if d]
        assert declared == deployment["metadata"]["annotations"]["voiceplat.io/depends-on"].split(",")[: len(declared)]
        for dependency in declared:
            assert dependency in services, f"{name} depends on {dependency}, which is not deployed"
            url = data[dependency.upper().replace("-", "_") + "_URL"]
            assert url == f"http://{dependency}.{contract.PLATFORM_NAMESPACE}.svc.cluster.local:80", url


def test_pods_start_without_the_secrets_kind_does_not_have(e2e):
    for name, deployment in deployments(e2e).items():
        for env in deployment["spec"]["template"]["spec"]["containers"][0].get("env", []):
            assert env["valueFrom"]["secretKeyRef"]["optional"] is True, (name, env["name"])
