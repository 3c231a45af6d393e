"""Scheduling on the shared contract: GPU workloads carry the GPU request, the taint toleration and the
required GPU node label, and nothing else does; general services select the general pool; pods spread."""

import pytest

import chartkit
import contract

pytestmark = [pytest.mark.charts, pytest.mark.slow]
SCENARIOS = chartkit.all_scenarios()
ids = lambda s: s.id  # noqa: E731


def service_pods(docs):
    """(service name, pod spec) of every Deployment."""
    return [(name, d["spec"]["template"]["spec"]) for name, d in chartkit.by_kind(docs, "Deployment").items()]


def gpu_request(spec):
    resources = spec["containers"][0]["resources"]
    return resources["requests"].get(contract.GPU_RESOURCE), resources["limits"].get(contract.GPU_RESOURCE)


def tolerates_gpu_taint(spec):
    return any(t.get("key") == contract.GPU_TAINT.key for t in spec.get("tolerations", []))


def required_node_terms(spec):
    node_affinity = spec.get("affinity", {}).get("nodeAffinity", {})
    affinity = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution", {})
    return [e for term in affinity.get("nodeSelectorTerms", []) for e in term["matchExpressions"]]


def takes_gpus(spec):
    return any(
        contract.GPU_RESOURCE in c["resources"].get(part, {})
        for c in spec["containers"]
        for part in ("requests", "limits")
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_gpu_workloads_request_tolerate_and_require_gpu_nodes(scenario, parsed):
    gpu_pods = [(name, spec) for name, spec in service_pods(parsed[scenario]) if takes_gpus(spec)]
    for name, spec in gpu_pods:
        requested, limited = gpu_request(spec)
        assert requested and requested == limited, (name, requested, limited)
        toleration = {
            "key": contract.GPU_TAINT.key,
            "operator": "Equal",
            "value": contract.GPU_TAINT.value,
            "effect": contract.GPU_TAINT.effect,
        }
        assert toleration in spec["tolerations"], name
        assert {
            "key": contract.GPU_NODE_LABEL_KEY,
            "operator": "In",
            "values": [contract.GPU_NODE_LABEL_VALUE],
        } in required_node_terms(spec), name


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_nothing_else_tolerates_or_targets_gpus(scenario, parsed):
    others = [
        (doc["metadata"]["name"], spec)
        for doc in parsed[scenario]
        if (spec := chartkit.pod_spec(doc)) is not None and not takes_gpus(spec)
    ]
    for name, spec in others:
        assert not tolerates_gpu_taint(spec), name
        assert all(e["key"] != contract.GPU_NODE_LABEL_KEY for e in required_node_terms(spec)), name


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_general_services_select_the_general_pool_and_at_most_an_architecture(scenario, parsed):
    pool = contract.GENERAL_POOL.labels[contract.POOL_LABEL]
    for name, spec in service_pods(parsed[scenario]):
        if not takes_gpus(spec):
            selector = spec.get("nodeSelector", {})
            assert selector.get(contract.POOL_LABEL) == pool, name
            assert set(selector) <= {contract.POOL_LABEL, contract.ARCH_LABEL}, (name, selector)
            assert selector.get(contract.ARCH_LABEL, "arm64") in ("arm64", "amd64"), (name, selector)


def test_general_services_run_on_arm_in_the_clouds(parsed):
    cloud_cells = [s for s in parsed if not s.name.startswith("ci-")]
    for scenario in cloud_cells:
        for name, spec in service_pods(parsed[scenario]):
            if not takes_gpus(spec):
                assert spec["nodeSelector"] == {contract.ARCH_LABEL: "arm64", contract.POOL_LABEL: "general"}, (
                    scenario.id,
                    name,
                )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=ids)
def test_service_pods_spread_over_zones_and_hosts(scenario, parsed):
    for name, spec in service_pods(parsed[scenario]):
        keys = {c["topologyKey"] for c in spec["topologySpreadConstraints"]}
        assert keys == {"topology.kubernetes.io/zone", "kubernetes.io/hostname"}, name


def test_voice_and_gpu_engines_keep_their_pods_on_different_hosts(parsed):
    prod = next(s for s in parsed if s.chart == "platform" and s.name == "prod-aws-eu-west-1")
    voice = chartkit.by_kind(parsed[prod], "Deployment")["voice"]["spec"]["template"]["spec"]
    assert voice["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
    engine_scenario = next(s for s in parsed if s.chart == "deepgram" and s.name == "prod-aws-eu-west-1")
    engine = chartkit.by_kind(parsed[engine_scenario], "Deployment")["deepgram-engine"]["spec"]["template"]["spec"]
    assert engine["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"]
