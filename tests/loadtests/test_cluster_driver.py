"""What the distributed driver hands the chart, which cluster it talks to, and which nodes get its image."""

from types import SimpleNamespace

from loadtests import cluster, run, targets
from stacks.environments import ENVIRONMENTS


def test_the_kind_environment_runs_in_the_context_the_environment_model_names():
    assert cluster.platform_context("local") == ENVIRONMENTS["local"].cluster.kubeconfig_context


def test_environments_without_a_known_context_use_kubectls_current_one():
    assert cluster.platform_context("preview-eu") is None and cluster.platform_context("loopback") is None


def test_the_values_carry_every_loadtests_source_and_data_file_and_nothing_else():
    files = cluster.mounted_files()
    assert {"loadtests/gate.py", "loadtests/shapes/stages.py", "loadtests/environments/preview-eu.toml"} <= set(files)
    assert all(path.endswith((".py", ".toml")) and "__pycache__" not in path for path in files)


def test_the_values_name_the_scenarios_then_the_shape_and_pass_host_and_options_to_the_master():
    values = cluster.values(
        targets.load("preview-eu"),
        run.shape_file("spike"),
        workers=3,
        image="registry.example.com/voiceplat/locust:2.47.0-abc",
        extra=["--time-scale", "0.5"],
        host="https://api.example.com",
    )
    assert values["run"]["locustfiles"][-1] == "loadtests/shapes/spike.py"
    assert values["run"]["locustfiles"][:-1] == [
        f"loadtests/scenarios/{s}.py" for s in targets.load("preview-eu").scenarios
    ]
    assert values["run"]["extraArgs"] == ["--host", "https://api.example.com", "--time-scale", "0.5"]
    assert values["image"] == {"repository": "registry.example.com/voiceplat/locust", "tag": "2.47.0-abc"}
    assert values["workers"] == 3


def node(name, *, taints=(), unschedulable=None):
    return SimpleNamespace(
        metadata=SimpleNamespace(name=name),
        spec=SimpleNamespace(
            taints=[SimpleNamespace(key=key, effect=effect) for key, effect in taints] or None,
            unschedulable=unschedulable,
        ),
    )


def test_the_image_goes_only_to_nodes_that_take_pods_without_tolerations():
    nodes = [
        node("kind-control-plane", taints=[("node-role.kubernetes.io/control-plane", "NoSchedule")]),
        node("kind-worker"),
        node("kind-worker2", taints=[("nvidia.com/gpu", "NoSchedule")]),
        node("kind-worker3", taints=[("node.kubernetes.io/unreachable", "NoExecute")]),
        node("kind-worker4", unschedulable=True),
        node("kind-worker5", taints=[("example.com/prefer-not", "PreferNoSchedule")]),
    ]
    assert cluster.schedulable_nodes(nodes) == ["kind-worker", "kind-worker5"]
