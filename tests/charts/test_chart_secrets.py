"""Secret wiring: services read their secrets from `<service>-secrets`; in the clouds a SecretProviderClass
syncs that Secret from Secrets Manager or Key Vault (kubeconform has no schema for it: its fields are checked
here), and the pods mount the CSI volume that makes the driver sync. Which variable reads which key is claimed
per template by helm-unittest (charts/<chart>/tests)."""
import pytest
import yaml

import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]
CLOUD_SCENARIOS = [s for s in chartkit.all_scenarios() if s.name.split("-")[1:2] in (["aws"], ["azure"])]


def secret_refs(deployment) -> dict[str, dict]:
    """ENV_VAR -> secretKeyRef of a Deployment's container."""
    env = deployment["spec"]["template"]["spec"]["containers"][0].get("env", [])
    return {e["name"]: e["valueFrom"]["secretKeyRef"] for e in env if "secretKeyRef" in e.get("valueFrom", {})}


def secret_services(docs) -> dict[str, dict[str, dict]]:
    """service -> its secret references, for the services that read secrets."""
    found = {name: secret_refs(d) for name, d in chartkit.by_kind(docs, "Deployment").items()}
    return {name: refs for name, refs in found.items() if refs}


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_each_service_with_secrets_syncs_the_keys_it_reads_from_its_clouds_store(scenario, parsed):
    cloud = scenario.name.split("-")[1]
    docs = parsed[scenario]
    classes = chartkit.by_kind(docs, "SecretProviderClass")
    services = secret_services(docs)
    assert set(classes) == {f"{name}-secrets" for name in services}
    for name, refs in services.items():
        spec = classes[f"{name}-secrets"]["spec"]
        keys = sorted({ref["key"] for ref in refs.values()})
        assert spec["provider"] == cloud
        assert spec["secretObjects"] == [{"secretName": f"{name}-secrets", "type": "Opaque",
                                          "data": [{"objectName": k, "key": k} for k in keys]}]
        objects = yaml.safe_load(spec["parameters"]["objects"])
        if cloud == "aws":
            region = chartkit.by_kind(docs, "ConfigMap")[f"{name}-config"]["data"]["VOICEPLAT_REGION"]
            assert region and spec["parameters"]["region"] == region, "secrets are read in the cluster's own region"
            assert [o["objectAlias"] for o in objects[0]["jmesPath"]] == keys
        else:
            assert [yaml.safe_load(o)["objectAlias"] for o in objects["array"]] == keys
            assert all(spec["parameters"][p] for p in ("clientID", "keyvaultName", "tenantId"))


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_pods_mount_the_csi_volume_and_read_each_secret_from_their_own_secret(scenario, parsed):
    deployments = chartkit.by_kind(parsed[scenario], "Deployment")
    for name, refs in secret_services(parsed[scenario]).items():
        spec = deployments[name]["spec"]["template"]["spec"]
        volume = next(v for v in spec["volumes"] if v["name"] == "secrets-store")
        assert volume["csi"]["volumeAttributes"]["secretProviderClass"] == f"{name}-secrets"
        assert all(ref["name"] == f"{name}-secrets" and ref["optional"] is False for ref in refs.values()), (name, refs)


def test_on_kind_no_store_is_involved_and_pods_start_without_secrets(parsed):
    for scenario in (s for s in parsed if s.name == "ci-e2e"):
        assert not chartkit.by_kind(parsed[scenario], "SecretProviderClass")
        for deployment in chartkit.by_kind(parsed[scenario], "Deployment").values():
            assert all(v["name"] != "secrets-store" for v in deployment["spec"]["template"]["spec"]["volumes"])
