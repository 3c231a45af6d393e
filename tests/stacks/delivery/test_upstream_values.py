"""What the upstream releases are given, checked against what their pinned charts do with it (found by
`make upstream-check` on the real charts; each test here fails without its fix and needs no chart)."""

import re

import pytest
import yaml

from stacks.delivery.helm_addons import CLUSTER_AUTOSCALER_IMAGES
from stacks.delivery.infrastructure import LIVEKIT_NAMESPACE, LIVEKIT_REDIS, redis_address
from stacks.delivery.livekit_keys import KEY_FILE, SECRET_NAME
from stacks.delivery.project_charts import CHARTS_DIR
from stacks.delivery.upstream_charts import CHARTS
from stacks.environments import ENVIRONMENTS, Cloud, Delivery
from upstreamkit import dig, release, release_values

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]
AWS = [name for name in CLOUD if ENVIRONMENTS[name].cloud is Cloud.AWS]
GITOPS = [name for name in CLOUD if ENVIRONMENTS[name].delivery is Delivery.GITOPS]
PLATFORM = yaml.safe_load((CHARTS_DIR / "platform" / "values.yaml").read_text())


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


@pytest.mark.parametrize("env", CLOUD)
def test_the_adapter_pdb_sets_only_max_unavailable_which_the_chart_defaults_to_1(env):
    """prometheus-adapter 4.x renders minAvailable beside its default maxUnavailable: 1 ("cannot be both set")."""
    pdb = release_values(env, "prometheus-adapter")["podDisruptionBudget"]
    assert pdb["enabled"] and "minAvailable" not in pdb and pdb["maxUnavailable"] == 1


@pytest.mark.parametrize("env", CLOUD)
def test_the_nginx_ingress_pdb_keeps_two_of_three_controllers_with_one_key(env):
    """nginx-ingress 2.x renders its PodDisruptionBudget from controller.podDisruptionBudget, which takes
    minAvailable or maxUnavailable, not both (ingress-nginx 4.x read controller.minAvailable)."""
    controller = release_values(env, "nginx-ingress")["controller"]
    pdb = controller["podDisruptionBudget"]
    assert pdb["enabled"] and pdb["minAvailable"] == 2 and "maxUnavailable" not in pdb
    assert "minAvailable" not in controller and controller["replicaCount"] == 3


@pytest.mark.parametrize("env", CLOUD)
def test_livekit_mounts_its_key_file_from_the_secret_the_stack_creates(env):
    values = release_values(env, "livekit")
    key_file = dig(values, "livekit.key_file")
    assert key_file == KEY_FILE and not key_file.startswith("/"), "mountPath and subPath both come from key_file"
    assert dig(values, "storeKeysInSecret.existingSecret") == SECRET_NAME
    from deliverykit import address, delivery, secrets

    secret = secrets(delivery(env))[SECRET_NAME]
    assert secret["metadata"]["namespace"] == LIVEKIT_NAMESPACE and list(secret["data"]) == [KEY_FILE]
    assert address(delivery(env), "kubernetes_secret_v1", SECRET_NAME) in release(env, "livekit")["depends_on"]


def test_the_livekit_api_secret_is_generated_once_and_sensitive():
    from deliverykit import delivery

    (data,) = [
        body
        for key, body in delivery(CLOUD[0]).doc["resource"]["terraform_data"].items()
        if "uuid()" in str(body.get("input")) and "livekit-keys" in key
    ]
    assert data["input"].startswith("${sensitive(") and data["lifecycle"]["ignore_changes"] == ["input"]


@pytest.mark.parametrize("env", CLOUD)
def test_the_platform_calls_livekit_at_the_service_the_chart_creates(env):
    values = release_values(env, "livekit")
    service = f"ws://{values['fullnameOverride']}.{LIVEKIT_NAMESPACE}.svc:{values['loadBalancer']['servicePort']}"
    assert PLATFORM["services"]["voice"]["env"]["LIVEKIT_URL"] == service


@pytest.mark.parametrize("env", CLOUD)
def test_livekit_replicas_share_rooms_through_redis(env):
    values = release_values(env, "livekit")
    assert values["replicaCount"] > 1
    assert dig(values, "livekit.redis.address") == redis_address(LIVEKIT_REDIS, LIVEKIT_NAMESPACE)
    assert release(env, LIVEKIT_REDIS)["namespace"] == LIVEKIT_NAMESPACE


def rendered_rabbitmq(env: str) -> list[dict]:
    """The rabbitmq release's objects: its local chart rendered with the values the stack synthesizes."""
    import subprocess

    import yaml

    from contract.tools import tool
    from stacks.delivery.infrastructure import CLOUD_INFRASTRUCTURE

    chart = next(service.chart for service in CLOUD_INFRASTRUCTURE if service.name == "rabbitmq")
    rendered = subprocess.run(
        [tool("helm"), "template", "rabbitmq", str(chart), "-n", "rabbitmq", "-f", "-"],
        input=yaml.safe_dump(release_values(env, "rabbitmq")),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [document for document in yaml.safe_load_all(rendered) if document]


def test_rabbitmq_runs_the_official_image_through_rabbitmqs_own_operator():
    objects = {document["kind"]: document for document in rendered_rabbitmq(CLOUD[0])}
    image = objects["RabbitmqCluster"]["spec"]["image"]
    assert image.startswith("docker.io/library/rabbitmq:") and image.split(":")[1][0].isdigit()
    assert release(CLOUD[0], "rabbitmq")["depends_on"], "the cluster must wait for the operator's release"


def test_rabbitmq_serves_per_queue_metrics_the_hpas_select_by_queue():
    monitors = [document for document in rendered_rabbitmq(CLOUD[0]) if document["kind"] == "ServiceMonitor"]
    assert [endpoint["path"] for monitor in monitors for endpoint in monitor["spec"]["endpoints"]] == [
        "/metrics",
        "/metrics/per-object",
    ]
    rules = [rule for service in PLATFORM["services"].values() for rule in service.get("hpa", {}).get("custom", [])]
    queue_rules = [rule for rule in rules if rule["adapter"]["series"].startswith("rabbitmq_")]
    assert queue_rules and all(set(rule["selector"]) == {"queue"} for rule in queue_rules)


def emitted_label_value(value: str) -> str:
    """A label value as Temporal's Prometheus reporter (tally, the server's default) writes it: every character but
    letters, digits and `_` becomes `_` (common/metrics/config.go, defaultTallySanitizeOptions)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", value)


def backlog_workers() -> dict[str, dict]:
    return {
        name: service
        for name, service in PLATFORM["services"].items()
        if any("backlog" in rule["name"] for rule in service.get("hpa", {}).get("custom", []))
    }


def test_temporal_backlog_rules_use_the_names_the_server_emits():
    """Temporal 1.27 (chart 0.62.0) emits approximate_backlog_count labelled taskqueue (no temporal_ prefix)."""
    rules = [rule for service in backlog_workers().values() for rule in service["hpa"]["custom"]]
    assert rules and all(
        rule["adapter"]["series"] == "approximate_backlog_count" and set(rule["selector"]) == {"taskqueue"}
        for rule in rules
        if "backlog" in rule["name"]
    )
    alerts = [
        alert["expr"]
        for service in PLATFORM["services"].values()
        for alert in service.get("alerts", {}).get("extra", [])
        if "backlog" in alert["expr"]
    ]
    assert alerts and all(expr.startswith("sum(approximate_backlog_count{taskqueue=") for expr in alerts)


@pytest.mark.parametrize("worker", sorted(backlog_workers()))
def test_a_workers_backlog_rule_and_alert_select_its_task_queue_as_the_server_labels_it(worker):
    """The worker's HPA and its backlog alert select the task queue it polls (TEMPORAL_TASK_QUEUE) as the series
    carry it: platform-go is labelled platform_go, and a selector with the queue's own name matches nothing."""
    service = PLATFORM["services"][worker]
    emitted = emitted_label_value(service["env"]["TEMPORAL_TASK_QUEUE"])
    selectors = [rule["selector"] for rule in service["hpa"]["custom"] if "backlog" in rule["name"]]
    assert selectors == [{"taskqueue": emitted}], selectors
    alerts = [a["expr"] for a in service["alerts"]["extra"] if "approximate_backlog_count" in a["expr"]]
    assert alerts and all(f'taskqueue="{emitted}"' in expr for expr in alerts), alerts


def test_temporal_keeps_both_stores_on_the_managed_postgresql_without_bundled_databases():
    values = release_values(CLOUD[0], "temporal")
    assert not dig(values, "cassandra.enabled") and not dig(values, "elasticsearch.enabled")
    for store in ("default", "visibility"):
        assert dig(values, f"server.config.persistence.{store}.driver") == "sql"
        assert dig(values, f"server.config.persistence.{store}.sql.driver") == "postgres12"
    assert dig(values, "schema.setup.enabled") and dig(values, "schema.update.enabled")


def test_temporal_registers_the_default_namespace():
    namespaces = dig(release_values(CLOUD[0], "temporal"), "server.config.namespaces")
    assert namespaces["create"] and "default" in [item["name"] for item in namespaces["namespace"]]


@pytest.mark.parametrize("env", GITOPS)
def test_argocd_apps_renders_go_template_options(env):
    """argocd-apps renders goTemplateOptions from 2.0.3 on; 2.0.2 dropped them silently."""
    assert "goTemplateOptions" in str(release_values(env, "voiceplat-apps"))
    assert version(CHARTS["argocd-apps"].version) >= (2, 0, 3)


@pytest.mark.parametrize("env", GITOPS)
def test_argocd_has_a_first_day_admin_login_documented(env):
    from stacks.delivery.helm_addons import VALUES_DIR

    assert release_values(env, "argo-cd")["configs"]["cm"]["admin.enabled"] is True
    assert "argocd-initial-admin-secret" in (VALUES_DIR / "argo-cd.yaml").read_text()


@pytest.mark.parametrize("env", CLOUD)
def test_cloudflared_runs_a_pinned_image(env):
    tag = str(dig(release_values(env, "cloudflared"), "image.tag", ""))
    assert re.match(r"\d{4}\.\d+\.\d+$", tag), tag


@pytest.mark.parametrize("env", AWS)
def test_cluster_autoscaler_image_matches_the_clusters_minor(env):
    tag = dig(release_values(env, "cluster-autoscaler"), "image.tag")
    minor = ENVIRONMENTS[env].cluster.kubernetes_version
    assert tag == CLUSTER_AUTOSCALER_IMAGES[minor] and tag.startswith(f"v{minor}.")


@pytest.mark.parametrize("env", GITOPS)
def test_argocd_sso_comes_from_deploy_time_inputs_with_a_sensitive_client_secret(env):
    from deliverykit import delivery

    synth = delivery(env)
    variables = synth.doc["variable"]
    assert {"argocd_oidc_issuer", "argocd_oidc_client_id", "argocd_url", "argocd_admin_group"} <= set(variables)
    assert variables["argocd_oidc_client_secret"]["sensitive"] is True
    values = release_values(env, "argo-cd")
    assert values["configs"]["secret"]["extra"]["oidc.clientSecret"] == "sensitive"
    assert "oidc.config" in values["configs"]["cm"] and values["configs"]["rbac"]["policy.default"] == "role:readonly"
