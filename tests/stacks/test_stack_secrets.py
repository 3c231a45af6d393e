"""Nothing secret in any synthesized stack: no credentials, keys or kubeconfigs, only references."""

import json
import re

import pytest

from stacks.environments import ENVIRONMENTS
from synthkit import all_stacks, start_app_runs

start_app_runs()  # in the background while the other tests run

SECRET_TEXT = {
    "AWS access key ID": re.compile(r"\b(AKIA|ASIA|A3T[A-Z0-9])[A-Z0-9]{16}\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "JSON web token": re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\."),
    "Azure storage key": re.compile(r"AccountKey=[A-Za-z0-9+/=]{20,}"),
    "kubeconfig": re.compile(r"client-key-data|client-certificate-data|\btoken:\s"),
}
# Argument names that hold credentials; their value may only be a reference resolved at apply time.
SECRET_ARGUMENT = re.compile(
    r"(password|secret|secret_key|access_key|token|private_key|client_key|client_certificate|"
    r"connection_string|kube_config_raw|kube_admin_config_raw)$"
)


def strings(node, path=""):
    """Every (path, key, string value) pair in a JSON document."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield f"{path}.{key}", key, value
            else:
                yield from strings(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if isinstance(value, str):
                yield f"{path}[{index}]", "", value
            else:
                yield from strings(value, f"{path}[{index}]")


def test_the_detectors_catch_planted_credentials():
    """The scan can fail: each detector finds a credential of its kind planted in a stack document."""
    planted = {
        "AWS access key ID": "AKIA" + "Q" * 16,
        "private key": "-----BEGIN RSA " + "PRIVATE KEY-----",
        "JSON web token": "eyJ" + "a" * 12 + "." + "b" * 12 + ".c",
        "Azure storage key": "AccountKey=" + "k" * 40,
        "kubeconfig": "client-key-data: abc",
    }
    for kind, text in planted.items():
        assert SECRET_TEXT[kind].search(json.dumps({"resource": {"x": {"value": text}}})), kind
    document = {"provider": {"azurerm": [{"client_secret": "literal"}]}, "resource": {"x": {"y": {"password": "p"}}}}
    assert [path for path, key, value in strings(document) if SECRET_ARGUMENT.search(key)] == [
        ".provider.azurerm[0].client_secret",
        ".resource.x.y.password",
    ]


@pytest.fixture(scope="module")
def documents():
    return {name: run.stack_json(name) for name, run in all_stacks().items()}


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_no_credential_appears_in_the_stack(documents, name):
    text = json.dumps(documents[name])
    found = [kind for kind, pattern in SECRET_TEXT.items() if pattern.search(text)]
    assert found == [], f"{name}: {found}"


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_credential_arguments_hold_only_references(documents, name):
    literal = [
        path
        for path, key, value in strings(documents[name])
        if SECRET_ARGUMENT.search(key) and value and not value.startswith("${")
    ]
    assert literal == []


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_providers_take_credentials_from_the_environment_not_the_stack(documents, name):
    for configs in documents[name].get("provider", {}).values():
        for config in configs:
            assert not {"access_key", "secret_key", "token", "client_secret", "client_certificate"} & set(config)


@pytest.mark.parametrize("name", list(ENVIRONMENTS))
def test_no_output_exposes_cluster_credentials(documents, name):
    for output in documents[name].get("output", {}).values():
        assert not re.search(r"kube_(admin_)?config|certificate_authority|client_key", json.dumps(output["value"]))
