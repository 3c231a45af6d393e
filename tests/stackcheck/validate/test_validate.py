"""`make validate-cloud` (stackcheck/validate/): its work folder and reports, and real `tofu validate` runs with the
Helm provider `make tools` builds (the cloud providers are built only by the target itself)."""

import json

import pytest

from bootstrap.terraform import AWS, HELM, cli_config, deploy_env, provider_mirror
from contract import pins
from contract.tools import tool
from stackcheck.providers import OVERRIDE_FILE, providers_of, work_folder
from stackcheck.synthesized import required_providers, synthesized
from stackcheck.validate.__main__ import main
from stackcheck.validate.stack import validate

RELEASE = {"name": "demo", "chart": "./chart", "namespace": "demo"}


def stack(folder, name="demo", *, release=RELEASE, providers=("helm",)):
    """A synthesized stack's folder as cdktf writes it: cdk.tf.json asking for the bindings' versions."""
    path = folder / name
    path.mkdir(parents=True)
    document = {
        "terraform": {
            "required_providers": {p: {"source": p, "version": "0.0.1"} for p in providers},
            "backend": {"s3": {"bucket": "state", "key": f"{name}.tfstate", "region": "eu-west-1"}},
        },
        "provider": {"helm": [{"kubernetes": {"config_path": "/nowhere"}}]},
        "resource": {"helm_release": {"demo": release}},
    }
    (path / "cdk.tf.json").write_text(json.dumps(document))
    return path


def test_the_work_folder_asks_for_the_mirrors_versions_and_leaves_the_synthesized_stack_alone(tmp_path):
    synthesized_stack = stack(tmp_path / "out", providers=("helm", "aws"))
    before = (synthesized_stack / "cdk.tf.json").read_text()
    folder = work_folder(
        synthesized_stack, tmp_path / "work", {"helm": HELM, "aws": AWS}, required_providers(synthesized_stack)
    )
    override = json.loads((folder / OVERRIDE_FILE).read_text())
    assert override == {
        "terraform": {
            "required_providers": {
                "helm": {"source": "hashicorp/helm", "version": pins.TF_PROVIDER_HELM[0]},
                "aws": {"source": "hashicorp/aws", "version": pins.TF_PROVIDER_AWS[0]},
            }
        }
    }
    assert (synthesized_stack / "cdk.tf.json").read_text() == before
    assert not (synthesized_stack / OVERRIDE_FILE).exists()


def test_a_provider_without_a_recipe_is_refused_naming_it_and_the_fix(tmp_path):
    with pytest.raises(SystemExit, match=r"no recipe builds provider\(s\) google.*contract/pins.py"):
        providers_of({"gcp": stack(tmp_path, providers=("helm", "google"))}, "validate-cloud")


def test_a_stack_not_synthesized_is_refused_naming_it_and_the_fix(tmp_path):
    stack(tmp_path)
    with pytest.raises(SystemExit, match=r"prod-eu not synthesized .*\(it has: demo\).*make synth.*VALIDATE_SYNTH=1"):
        synthesized(tmp_path, ["prod-eu"], "validate-cloud", "VALIDATE_SYNTH")


@pytest.fixture
def helm_env(tmp_path):
    """Providers from a mirror of the Helm provider `make tools` built (absolute paths: under tmp_path, not the
    tools cache)."""
    mirror = provider_mirror((HELM,), folder=str(tmp_path / "mirror"))
    return deploy_env(tool("tofu"), str(cli_config(mirror, (HELM,), file=str(tmp_path / "validate.rc"))))


@pytest.mark.toolchain
def test_tofu_validate_passes_a_valid_stack_with_the_real_provider(tmp_path, helm_env):
    result = validate(tool("tofu"), stack(tmp_path / "out"), tmp_path / "work", {"helm": HELM}, helm_env)
    assert result.valid, result.errors
    assert result.providers == {"helm": pins.TF_PROVIDER_HELM[0]}


@pytest.mark.toolchain
@pytest.mark.parametrize(
    "release, expected",
    [
        ({**RELEASE, "colour": "blue"}, 'Extraneous JSON object property: No argument or block type is named "colour"'),
        ({"chart": "./chart"}, 'Missing required argument: The argument "name" is required'),
        ({**RELEASE, "timeout": "soon"}, "Incorrect attribute value type"),
    ],
)
def test_tofu_validate_reports_what_the_provider_schema_refuses(tmp_path, helm_env, release, expected):
    result = validate(
        tool("tofu"), stack(tmp_path / "out", release=release), tmp_path / "work", {"helm": HELM}, helm_env
    )
    assert not result.valid and any(error.startswith(expected) for error in result.errors), result.errors


@pytest.mark.toolchain
def test_the_command_exits_1_naming_the_invalid_stack(tmp_path, capsys):
    stack(tmp_path, "good")
    stack(tmp_path, "bad", release={**RELEASE, "colour": "blue"})
    assert main(["--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "good: valid against helm" in out and "bad: INVALID, 1 error(s)" in out
    assert "validate-cloud: 1 of 2 stack(s) valid; invalid: bad" in out
