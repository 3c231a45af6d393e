"""Secret wiring: services read their secrets from `<service>-secrets`; in the clouds a SecretProviderClass
syncs that Secret from Secrets Manager or Key Vault (kubeconform has no schema for it: its fields are checked
here), and the pods mount the CSI volume that makes the driver sync."""
import pytest
import yaml

import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]
CLOUD_SCENARIOS = [s for s in chartkit.all_scenarios() if s.name.split("-")[1:2] in (["aws"], ["azure"])]


def secret_services(scenario):
    return {name: svc for name, svc in chartkit.services(scenario).items() if svc["secretEnv"]}


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_each_service_with_secrets_syncs_them_from_its_clouds_store(scenario, parsed):
    cloud = scenario.name.split("-")[1]
    classes = chartkit.by_kind(parsed[scenario], "SecretProviderClass")
    services = secret_services(scenario)
    assert set(classes) == {f"{name}-secrets" for name in services}
    for name, svc in services.items():
        spec = classes[f"{name}-secrets"]["spec"]
        keys = sorted(set(svc["secretEnv"].values()))
        assert spec["provider"] == cloud
        assert spec["secretObjects"] == [{"secretName": f"{name}-secrets", "type": "Opaque",
                                          "data": [{"objectName": k, "key": k} for k in keys]}]
        objects = yaml.safe_load(spec["parameters"]["objects"])
        if cloud == "aws":
            assert spec["parameters"]["region"] == chartkit.scenario_values(scenario)["global"]["secrets"]["aws"]["region"]
            assert [o["objectAlias"] for o in objects[0]["jmesPath"]] == keys
        else:
            assert [yaml.safe_load(o)["objectAlias"] for o in objects["array"]] == keys
            assert all(spec["parameters"][p] for p in ("clientID", "keyvaultName", "tenantId"))


@pytest.mark.parametrize("scenario", CLOUD_SCENARIOS, ids=lambda s: s.id)
def test_pods_mount_the_csi_volume_and_read_each_secret_by_key(scenario, parsed):
    deployments = chartkit.by_kind(parsed[scenario], "Deployment")
    for name, svc in secret_services(scenario).items():
        spec = deployments[name]["spec"]["template"]["spec"]
        volume = next(v for v in spec["volumes"] if v["name"] == "secrets-store")
        assert volume["csi"]["volumeAttributes"]["secretProviderClass"] == f"{name}-secrets"
        env = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in spec["containers"][0]["env"]}
        assert env == {var: {"name": f"{name}-secrets", "key": key, "optional": False} for var, key in svc["secretEnv"].items()}


def test_on_kind_no_store_is_involved_and_pods_start_without_secrets(parsed):
    for scenario in (s for s in parsed if s.name == "ci-e2e"):
        assert not chartkit.by_kind(parsed[scenario], "SecretProviderClass")
        for deployment in chartkit.by_kind(parsed[scenario], "Deployment").values():
            assert all(v["name"] != "secrets-store" for v in deployment["spec"]["template"]["spec"]["volumes"])
