"""The kind cluster honours the scheduling contract the stacks and charts share."""

import yaml

import contract
from bootstrap.cluster import FAULTS_TOPOLOGY, NODEPORTS, kind_config


def nodes():
    return kind_config("voiceplat-test")["nodes"]


def test_one_control_plane_one_general_worker_one_gpu_worker():
    assert [(n["role"], n["labels"][contract.POOL_LABEL]) for n in nodes()] == [
        ("control-plane", "system"),
        ("worker", "general"),
        ("worker", "gpu"),
    ]


def test_the_faults_topology_adds_a_second_general_and_a_second_gpu_worker_with_the_same_contract():
    config = kind_config("voiceplat-test", topology=FAULTS_TOPOLOGY)["nodes"]
    assert [(n["role"], n["labels"][contract.POOL_LABEL]) for n in config] == [
        ("control-plane", "system"),
        ("worker", "general"),
        ("worker", "general"),
        ("worker", "gpu"),
        ("worker", "gpu"),
    ]
    assert config[3] == config[4] == nodes()[2]


def test_the_gpu_worker_carries_the_contract_label_and_taint():
    gpu = nodes()[2]
    assert gpu["labels"][contract.GPU_NODE_LABEL_KEY] == contract.GPU_NODE_LABEL_VALUE
    join = yaml.safe_load(gpu["kubeadmConfigPatches"][0])
    assert join["kind"] == "JoinConfiguration"
    assert join["nodeRegistration"]["taints"] == [
        {"key": contract.GPU_TAINT.key, "value": contract.GPU_TAINT.value, "effect": contract.GPU_TAINT.effect}
    ]


def test_no_other_node_is_tainted_or_labelled_for_gpus():
    for node in nodes()[:2]:
        assert contract.GPU_NODE_LABEL_KEY not in node["labels"] and "kubeadmConfigPatches" not in node


def test_nodeports_are_published_on_loopback_only():
    mappings = nodes()[0]["extraPortMappings"]
    assert [(m["hostPort"], m["listenAddress"]) for m in mappings] == [(p, "127.0.0.1") for p in NODEPORTS]


def test_the_e2e_suite_can_publish_the_nodeports_on_other_host_ports():
    moved = {port: port + 1000 for port in NODEPORTS}
    mappings = kind_config("voiceplat-test", moved)["nodes"][0]["extraPortMappings"]
    assert [(m["containerPort"], m["hostPort"]) for m in mappings] == list(moved.items())


def test_every_kubelet_measures_volumes_often_enough_for_an_overrun_to_be_evicted_within_seconds():
    from bootstrap.cluster import VOLUME_STATS_PERIOD_S

    (patch,) = [yaml.safe_load(p) for p in kind_config("voiceplat-test")["kubeadmConfigPatches"]]
    assert patch == {"kind": "KubeletConfiguration", "volumeStatsAggPeriod": f"{VOLUME_STATS_PERIOD_S}s"}
    assert VOLUME_STATS_PERIOD_S < 60  # Kubernetes' default, which made the disk-pressure claim wait minutes
