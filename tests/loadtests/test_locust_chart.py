"""charts/locust: renders valid Kubernetes objects under the restricted profile, scales its workers,
mounts loadtests/ where locust imports it, and refuses bad values naming the key."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from loadtests import cluster, run, targets

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "charts"))
import chartkit  # noqa: E402  (the chart tests' helm wrapper and kubeconform schemas: one way to run them)
import kubeschemas  # noqa: E402

pytestmark = [pytest.mark.loadtest, pytest.mark.slow]
CHART = ROOT / "charts" / "locust"
CI_VALUES = sorted((CHART / "ci").glob("*-values.yaml"))


def generated_values(**changes) -> dict:
    """What `make loadtest ENV=local SHAPE=smoke WORKERS=2` installs."""
    values = cluster.values(
        targets.load("local"),
        run.shape_file("smoke"),
        workers=2,
        image="voiceplat/locust:2.47.0-abc12345",
        extra=[],
        host=None,
    )
    values.update(changes)
    return values


def helm_template(tmp_path, values_files=(), values=None):
    args = []
    if values is not None:
        path = tmp_path / "values.json"
        path.write_text(json.dumps(values))
        args += ["-f", str(path)]
    for file in values_files:
        args += ["-f", str(file)]
    return chartkit.helm("template", "lt", str(CHART), "--namespace", "loadtest", *args)


def objects(tmp_path, values_files=(), values=None) -> list[dict]:
    result = helm_template(tmp_path, values_files, values)
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)


def pods(docs):
    """(object name, pod spec) of every pod the chart makes, hooks included."""
    for doc in docs:
        if doc["kind"] not in ("Pod", "Job", "Deployment"):
            continue
        spec = doc["spec"] if doc["kind"] == "Pod" else doc["spec"]["template"]["spec"]
        yield f"{doc['kind']}/{doc['metadata']['name']}", spec


def by_kind(docs, kind):
    return [doc for doc in docs if doc["kind"] == kind]


@pytest.mark.parametrize("values_file", CI_VALUES + [None], ids=[p.stem for p in CI_VALUES] + ["generated-local"])
def test_each_scenario_renders_objects_that_kubeconform_accepts(tmp_path, values_file):
    result = helm_template(tmp_path, [values_file] if values_file else (), None if values_file else generated_values())
    assert result.returncode == 0, result.stderr
    (tmp_path / "render.yaml").write_text(result.stdout)
    kubeschemas.ensure_schemas()
    check = subprocess.run(
        [
            chartkit.tool("kubeconform"),
            "-strict",
            "-summary",
            "-schema-location",
            kubeschemas.schema_location(),
            str(tmp_path / "render.yaml"),
        ],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_every_pod_runs_under_the_restricted_profile_without_a_token(tmp_path):
    for name, spec in pods(objects(tmp_path, values=generated_values())):
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False and context["readOnlyRootFilesystem"] is True, name
            assert context["capabilities"] == {"drop": ["ALL"]} and context["privileged"] is False, name
            assert container["resources"]["limits"] and container["resources"]["requests"], name


def test_no_pod_tolerates_a_taint_or_selects_nodes_so_the_image_goes_only_where_untainted_nodes_are(tmp_path):
    """loadtests/cluster.py loads the image into kind's untainted, schedulable nodes only."""
    specs = dict(pods(objects(tmp_path, values=generated_values())))
    assert len(specs) >= 2, specs.keys()  # the master and the workers at least
    for name, spec in specs.items():
        assert not spec.get("tolerations") and not spec.get("nodeSelector") and not spec.get("affinity"), name


def test_workers_scale_with_the_value_and_the_master_waits_for_all_of_them(tmp_path):
    docs = objects(tmp_path, values=generated_values(workers=5))
    [workers], [master] = by_kind(docs, "Deployment"), by_kind(docs, "Job")
    args = master["spec"]["template"]["spec"]["containers"][0]["args"]
    assert workers["spec"]["replicas"] == 5
    assert args[args.index("--expect-workers") + 1] == "5"


def test_loadtests_is_mounted_where_locust_imports_it_and_both_roles_load_the_same_files(tmp_path):
    docs = objects(tmp_path, values=generated_values())
    [configmap] = by_kind(docs, "ConfigMap")
    [job], [deployment] = by_kind(docs, "Job"), by_kind(docs, "Deployment")
    for workload in (job, deployment):
        spec = workload["spec"]["template"]["spec"]
        [files] = [v for v in spec["volumes"] if v["name"] == "files"]
        mounted = {item["path"] for item in files["configMap"]["items"]}
        assert {"loadtests/gate.py", "loadtests/scenarios/standin.py", "loadtests/environments/local.toml"} <= mounted
        assert all(item["key"] in configmap["data"] for item in files["configMap"]["items"])
        args = spec["containers"][0]["args"]
        assert args[args.index("-f") + 1] == "loadtests/scenarios/standin.py,loadtests/shapes/smoke.py"
        assert "--in-cluster" in args and args[args.index("--target-env") + 1] == "local"


def test_a_changed_locustfile_rolls_the_pods(tmp_path):
    values = generated_values()
    changed = copy.deepcopy(values)
    changed["files"]["loadtests/scenarios/standin.py"] += "\n# changed\n"

    def checksum(v):
        [deployment] = by_kind(objects(tmp_path, values=v), "Deployment")
        return deployment["spec"]["template"]["metadata"]["annotations"]["checksum/files"]

    assert checksum(values) != checksum(changed)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"worker": {"resourcez": {}}}, "resourcez"),
        ({"workers": "two"}, "workers"),
        ({"image": {"repository": "voiceplat/locust", "tag": "", "pullPolicy": "IfNotPresent"}}, "image.tag is empty"),
        ({"files": {}}, "files is empty"),
        (
            {
                "run": {
                    "locustfiles": ["/etc/passwd"],
                    "targetEnv": "local",
                    "extraArgs": [],
                    "expectWorkersMaxWaitSeconds": 1,
                    "activeDeadlineSeconds": 60,
                    "ttlSecondsAfterFinished": 0,
                }
            },
            "locustfiles",
        ),
    ],
)
def test_bad_values_fail_the_render_naming_the_key(tmp_path, change, message):
    result = helm_template(tmp_path, values=generated_values(**change))
    assert result.returncode != 0 and message in result.stderr, result.stderr


def test_the_chart_documents_every_values_key():
    """Every key of values.yaml has a comment line right above it (the convention for defaults)."""
    lines = (CHART / "values.yaml").read_text().splitlines()
    undocumented = [
        line
        for index, line in enumerate(lines)
        if line and not line.startswith(("#", " ")) and not lines[index - 1].lstrip().startswith("#")
    ]
    assert undocumented == []
    assert set(yaml.safe_load((CHART / "values.yaml").read_text())) <= set(
        json.loads((CHART / "values.schema.json").read_text())["properties"]
    )
