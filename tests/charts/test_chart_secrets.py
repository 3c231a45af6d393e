"""Secret wiring: services read their secrets from `<service>-secrets`; in the clouds a SecretProviderClass
syncs that Secret from Secrets Manager or Key Vault (kubeconform has no schema for it: its fields are checked
here), and the pods mount the CSI volume that makes the driver sync. The services behind an Ingress that names a
TLS Secret mount the chart's one class of it, which syncs it from the environment's certificate. Which variable
reads which key is claimed per template by helm-unittest (charts/<chart>/tests)."""

import pytest
import yaml

import chartkit
from stacks.delivery.environment_values import aws_secrets_path

pytestmark = [pytest.mark.charts, pytest.mark.slow]
CLOUD_SCENARIOS = [s for s in chartkit.all_scenarios() if s.name.split("-")[1:2] in (["aws"], ["azure"])]


def secret_refs(deployment) -> dict[str, dict]:
    """ENV_VAR -> secretKeyRef of a Deployment's container."""
    env = deployment["spec"]["template"]["spec"]["containers"][0].get("env", [])
    return {e["name"]: e["valueFrom"]["secretKeyRef"] for e in env if "secretKeyRef" in e.get("valueFrom", {})}


def secret_services(docs) -> dict[str, dict[str, dict]]:
    """service -> its references to its own Secret, for the services that read one (`secretKeyRefs` name Secrets
    the stack creates beside the chart: not synced)."""
    found = {
        name: {var: ref for var, ref in secret_refs(d).items() if ref["name"] == f"{name}-secrets"}
        for name, d in chartkit.by_kind(docs, "Deployment").items()
    }
    return {name: refs for name, refs in found.items() if refs}


def tls_services(docs) -> dict[str, str]:
    """service -> the TLS Secret its Ingress names, for the services behind an Ingress that names one."""
    return {
        ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]: tls["secretName"]
        for ingress in chartkit.by_kind(docs, "Ingress").values()
        for tls in ingress["spec"].get("tls", [])
        if tls.get("secretName")
    }


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_each_service_with_secrets_syncs_the_keys_it_reads_from_its_clouds_store(scenario, parsed):
    cloud = scenario.name.split("-")[1]
    docs = parsed[scenario]
    classes = chartkit.by_kind(docs, "SecretProviderClass")
    services = secret_services(docs)
    assert set(classes) == {f"{name}-secrets" for name in services} | set(tls_services(docs).values())
    for name, refs in services.items():
        spec = classes[f"{name}-secrets"]["spec"]
        keys = sorted({ref["key"] for ref in refs.values()})
        assert spec["provider"] == cloud
        assert [o for o in spec["secretObjects"] if o["type"] == "Opaque"] == [
            {"secretName": f"{name}-secrets", "type": "Opaque", "data": [{"objectName": k, "key": k} for k in keys]}
        ]
        objects = yaml.safe_load(spec["parameters"]["objects"])
        if cloud == "aws":
            region = chartkit.by_kind(docs, "ConfigMap")[f"{name}-config"]["data"]["VOICEPLAT_REGION"]
            assert region and spec["parameters"]["region"] == region, "secrets are read in the cluster's own region"
            assert [o["objectAlias"] for o in objects[0]["jmesPath"]] == keys
        else:
            assert [yaml.safe_load(o)["objectAlias"] for o in objects["array"]][: len(keys)] == keys
            assert all(spec["parameters"][p] for p in ("clientID", "keyvaultName", "tenantId"))


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_the_services_behind_an_ingress_sync_its_tls_secret_from_the_stores_certificate(scenario, parsed):
    docs = parsed[scenario]
    classes = chartkit.by_kind(docs, "SecretProviderClass")
    for secret in set(tls_services(docs).values()):
        spec = classes[secret]["spec"]
        assert spec["secretObjects"] == [
            {
                "secretName": secret,
                "type": "kubernetes.io/tls",
                "data": [{"objectName": secret, "key": "tls.key"}, {"objectName": secret, "key": "tls.crt"}],
            }
        ]
        assert f"objectAlias: {secret}" in spec["parameters"]["objects"]


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_pods_mount_the_csi_volume_and_read_each_secret_from_their_own_secret(scenario, parsed):
    deployments = chartkit.by_kind(parsed[scenario], "Deployment")
    classes = {name: {f"{name}-secrets"} for name in secret_services(parsed[scenario])}
    for name, secret in tls_services(parsed[scenario]).items():
        classes[name] = classes.get(name, set()) | {secret}
    for name, wanted in classes.items():
        volumes = deployments[name]["spec"]["template"]["spec"]["volumes"]
        assert {v["csi"]["volumeAttributes"]["secretProviderClass"] for v in volumes if "csi" in v} == wanted
    beside = {
        ref["name"]
        for service in chartkit.chart_values(scenario.chart)["services"].values()
        for ref in (service.get("secretKeyRefs") or {}).values()
    }
    for name, deployment in deployments.items():
        refs = secret_refs(deployment)
        assert all(ref["name"] in (f"{name}-secrets", *beside) and ref["optional"] is False for ref in refs.values()), (
            name,
            refs,
        )


def test_on_kind_no_store_is_involved_and_pods_start_without_secrets(parsed):
    for scenario in (s for s in parsed if s.name == "ci-local"):
        assert not chartkit.by_kind(parsed[scenario], "SecretProviderClass")
        for deployment in chartkit.by_kind(parsed[scenario], "Deployment").values():
            assert all(v["name"] != "secrets-store" for v in deployment["spec"]["template"]["spec"]["volumes"])


@pytest.mark.parametrize("scenario", [s for s in CLOUD_SCENARIOS if s.name.split("-")[1] == "aws"], ids=lambda s: s.id)
def test_aws_secrets_are_read_under_the_path_the_workloads_role_may_read(scenario, parsed):
    """Every Secrets Manager name a SecretProviderClass reads lies under the path the stack's IAM policy grants
    (stacks/managed_addons/aws_policies.py, given aws_secrets_path): a mismatch is AccessDenied on every pod start."""
    tier, _, region = scenario.name.split("-", 2)
    granted = aws_secrets_path(chartkit.cell(tier, "aws", region.removesuffix("-nginx")))
    names = [
        entry["objectName"]
        for spc in chartkit.by_kind(parsed[scenario], "SecretProviderClass").values()
        for entry in yaml.safe_load(spc["spec"]["parameters"]["objects"])
    ]
    assert all(name.startswith(f"{granted}/") for name in names), (granted, names)
