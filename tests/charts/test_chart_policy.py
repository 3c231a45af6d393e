"""Policy on the rendered output of every scenario: the Pod Security Standards "restricted" profile,
requests and limits, probes, pinned images, no API tokens, one namespace, minimal selectors."""

import pytest

import chartkit
from contract import PLATFORM_NAMESPACE

pytestmark = [pytest.mark.charts, pytest.mark.slow]
SCENARIOS = chartkit.all_scenarios()
RESTRICTED_VOLUME_TYPES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass", "StorageClass"}


def workloads(docs):
    """(object, pod spec) of every object that runs pods."""
    return [(doc, spec) for doc in docs if (spec := chartkit.pod_spec(doc)) is not None]


def containers(spec):
    return spec.get("initContainers", []) + spec["containers"]


def restricted_problems(doc, spec):
    where = f"{doc['kind']}/{doc['metadata']['name']}"
    pod = spec.get("securityContext", {})
    problems = []
    if pod.get("runAsNonRoot") is not True or pod.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: pod securityContext needs runAsNonRoot and seccomp RuntimeDefault")
    problems += [f"{where}: {key}" for key in ("hostNetwork", "hostPID", "hostIPC") if spec.get(key)]
    for volume in spec.get("volumes", []):
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUME_TYPES:
            problems.append(f"{where}: volume {volume['name']} of type {kinds} is not allowed under restricted")
    for container in containers(spec):
        context = container.get("securityContext", {})
        name = f"{where}/{container['name']}"
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{name}: allowPrivilegeEscalation must be false")
        if context.get("capabilities", {}).get("drop") != ["ALL"] or context.get("capabilities", {}).get("add"):
            problems.append(f"{name}: capabilities must drop ALL and add none")
        if context.get("readOnlyRootFilesystem") is not True:
            problems.append(f"{name}: readOnlyRootFilesystem must be true")
        if context.get("privileged") or context.get("runAsUser", pod.get("runAsUser")) in (0, None):
            problems.append(f"{name}: must not be privileged and must run as a non-zero user")
        if any("hostPort" in port for port in container.get("ports", [])):
            problems.append(f"{name}: hostPort")
    return problems


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_pod_passes_the_restricted_pod_security_profile(scenario, parsed):
    found = workloads(parsed[scenario])
    assert found, "no workload rendered"
    problems = [p for doc, spec in found for p in restricted_problems(doc, spec)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_container_has_cpu_and_memory_requests_and_limits(scenario, parsed):
    missing = [
        f"{doc['kind']}/{c['name']} {part}.{resource}"
        for doc, spec in workloads(parsed[scenario])
        for c in containers(spec)
        for part in ("requests", "limits")
        for resource in ("cpu", "memory")
        if resource not in c.get("resources", {}).get(part, {})
    ]
    assert not missing, missing


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_service_container_has_liveness_and_readiness_and_probes_a_port_it_serves(scenario, parsed):
    deployments = chartkit.by_kind(parsed[scenario], "Deployment")
    assert deployments and set(deployments) == set(chartkit.by_kind(parsed[scenario], "Service"))
    problems = []
    for name, deployment in deployments.items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        ports = {port["name"] for port in container["ports"]}
        present = {key for key in ("livenessProbe", "readinessProbe", "startupProbe") if key in container}
        if not {"livenessProbe", "readinessProbe"} <= present:
            problems.append(f"{name}: probes {sorted(present)}, liveness and readiness wanted")
        problems += [
            f"{name}: {key} probes port {container[key]['httpGet']['port']}, not one of {sorted(ports)}"
            for key in present
            if container[key]["httpGet"]["port"] not in ports
        ]
    assert not problems, problems


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_no_image_floats_on_latest_or_an_implicit_tag(scenario, parsed):
    images = [c["image"] for _, spec in workloads(parsed[scenario]) for c in containers(spec)]
    floating = [
        image
        for image in images
        if "@sha256:" not in image and (":" not in image.rsplit("/", 1)[-1] or image.endswith(":latest"))
    ]
    assert images and not floating, floating


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_no_pod_and_no_service_account_mounts_an_api_token(scenario, parsed):
    docs = parsed[scenario]
    mounting = [
        doc["metadata"]["name"]
        for doc, spec in workloads(docs)
        if spec.get("automountServiceAccountToken") is not False
    ]
    mounting += [
        name
        for name, sa in chartkit.by_kind(docs, "ServiceAccount").items()
        if sa.get("automountServiceAccountToken") is not False
    ]
    assert not mounting, mounting


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_every_object_lives_in_the_platform_namespace(scenario, parsed):
    elsewhere = [
        f"{d['kind']}/{d['metadata']['name']}"
        for d in parsed[scenario]
        if d["kind"] not in CLUSTER_SCOPED and d["metadata"].get("namespace") != PLATFORM_NAMESPACE
    ]
    assert not elsewhere, elsewhere


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_selectors_are_only_name_and_instance(scenario, parsed):
    selector_keys = {"app.kubernetes.io/name", "app.kubernetes.io/instance"}
    docs = parsed[scenario]
    selectors = [
        d["spec"]["selector"]["matchLabels"] for d in docs if d["kind"] in ("Deployment", "PodDisruptionBudget")
    ]
    selectors += [d["spec"]["selector"] for d in docs if d["kind"] == "Service"]
    assert selectors and all(set(s) == selector_keys for s in selectors), selectors


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.id)
def test_pods_roll_when_their_config_changes(scenario, parsed):
    docs = parsed[scenario]
    config_maps = chartkit.by_kind(docs, "ConfigMap")
    problems = []
    for doc, spec in workloads(docs):
        if doc["kind"] == "Pod":
            continue  # the helm test Pod reads no config
        template = (
            doc["spec"]["template"]
            if doc["kind"] == "Deployment"
            else (
                doc["spec"]["jobTemplate"]["spec"]["template"] if doc["kind"] == "CronJob" else doc["spec"]["template"]
            )
        )
        if "checksum/config" not in template["metadata"].get("annotations", {}):
            problems.append(f"{doc['metadata']['name']}: no checksum/config annotation")
        for source in spec["containers"][0].get("envFrom", []):
            if source["configMapRef"]["name"] not in config_maps:
                problems.append(f"{doc['metadata']['name']}: reads missing ConfigMap {source['configMapRef']['name']}")
    assert not problems, problems
