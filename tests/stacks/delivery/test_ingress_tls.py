"""The TLS Secret nginx and AGIC read (`voiceplat-tls`) is synced from the certificate the environment names in its
secret store (Ingress.tls_certificate) by one SecretProviderClass, which the pods behind the Ingresses mount; an
environment that needs one and names none stops the synth with the field to set. The local environment keeps plain
HTTP."""

from dataclasses import replace

import pytest

from deliverykit import FACTS
from stacks.delivery.environment_values import TLS_SECRET, environment_values
from stacks.delivery.rendered import rendered, stand_ins
from stacks.environments import ENVIRONMENTS, ConfigError, get
from stacks.environments.catalog import TLS_CERTIFICATE
from stacks.environments.clouds import AGIC_CLASS

SECRET_READERS = [
    name for name, env in ENVIRONMENTS.items() if env.ingress.class_name in ("nginx", AGIC_CLASS) and env.ingress.tls
]


def on_nginx(name: str, certificate: str):
    """Environment `name` with NGINX as its ingress class and `certificate` named."""
    env = get(name)
    return replace(
        env,
        ingress=replace(env.ingress, class_name="nginx", tls_certificate=certificate),
        values_files=("values/ingress-nginx.yaml", f"values/env-{env.tier.value}.yaml"),
    )


def test_the_azure_environments_read_their_certificate_from_a_secret():
    assert SECRET_READERS == ["preview-eu-az", "prod-eu-az", "prod-us-az"]


@pytest.mark.parametrize("name", SECRET_READERS)
def test_the_ingresses_secret_is_synced_from_the_certificate_the_environment_names(name):
    env = get(name)
    assert environment_values(env)["global"]["ingress"]["tls"] == {
        "enabled": True,
        "secretName": TLS_SECRET,
        "certificate": env.ingress.tls_certificate,
    }


@pytest.mark.parametrize(
    "env",
    [
        replace(get("prod-eu-az"), ingress=replace(get("prod-eu-az").ingress, tls_certificate="")),
        on_nginx("preview-eu", ""),
    ],
    ids=["agic", "nginx"],
)
def test_a_class_that_reads_a_secret_without_a_certificate_names_the_field_to_set(env):
    with pytest.raises(ConfigError) as info:
        environment_values(env)
    assert info.value.path == f"{env.name}.ingress.tls_certificate" and "tls_certificate=" in info.value.fix


def test_the_local_environment_keeps_plain_http_and_names_no_secret():
    assert environment_values(get("local"))["global"]["ingress"]["tls"] == {
        "enabled": False,
        "secretName": "",
        "certificate": "",
    }
    local = get("local")
    with pytest.raises(ConfigError, match=r"local.ingress.tls: kind has no secret store"):
        environment_values(replace(local, ingress=replace(local.ingress, tls=True)))


def test_a_certificate_the_class_never_reads_is_refused():
    env = get("prod-eu")
    with pytest.raises(ConfigError, match=r"prod-eu.ingress.tls_certificate: ingress class alb"):
        environment_values(replace(env, ingress=replace(env.ingress, tls_certificate=TLS_CERTIFICATE)))


def test_a_certificate_name_the_stores_refuse_stops_the_model():
    with pytest.raises(ConfigError, match=r"prod-eu-az.ingress.tls_certificate"):
        replace(get("prod-eu-az"), ingress=replace(get("prod-eu-az").ingress, tls_certificate="Ingress TLS"))


@pytest.mark.parametrize(
    "env",
    [get(name) for name in SECRET_READERS] + [on_nginx("preview-eu", TLS_CERTIFICATE)],
    ids=[*SECRET_READERS, "preview-eu-nginx"],
)
def test_the_services_behind_an_ingress_mount_the_one_class_that_syncs_its_tls_secret_from_the_store(env):
    objects = rendered(env, stand_ins(FACTS[env.cloud].chart_values))["platform"]
    ingresses = [obj for obj in objects if obj["kind"] == "Ingress"]
    assert ingresses
    classes = {obj["metadata"]["name"]: obj["spec"] for obj in objects if obj["kind"] == "SecretProviderClass"}
    deployments = {
        obj["metadata"]["name"]: obj["spec"]["template"]["spec"] for obj in objects if obj["kind"] == "Deployment"
    }
    for ingress in ingresses:
        assert [tls["secretName"] for tls in ingress["spec"]["tls"]] == [TLS_SECRET]
        service = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["name"]
        volumes = {v["name"]: v for v in deployments[service]["volumes"]}
        assert volumes["tls-store"]["csi"]["volumeAttributes"]["secretProviderClass"] == TLS_SECRET
    spec = classes[TLS_SECRET]  # the one class that writes the Secret, whichever of those pods mounts first
    assert spec["secretObjects"] == [
        {
            "secretName": TLS_SECRET,
            "type": "kubernetes.io/tls",
            "data": [{"objectName": TLS_SECRET, "key": "tls.key"}, {"objectName": TLS_SECRET, "key": "tls.crt"}],
        }
    ]
    assert env.ingress.tls_certificate in spec["parameters"]["objects"]
