"""A changed value reaches the local stack the way every change does (`cdktf deploy local`): a YAML file named by
VOICEPLAT_LOCAL_VALUES (contract.settings.LOCAL_VALUES), values per project chart, given to that chart last; a value
the chart's schema refuses is refused at synth, before anything is planned or applied, naming the chart and key."""

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml

import localenv.__main__
import localenv.deploy
from contract import settings, tools
from localenv.deploy import LocalDeployError, deploy_local
from stacks.delivery.environment_values import environment_values
from stacks.delivery.local_values import read_local_values
from stacks.delivery.project_charts import CHARTS_DIR, chart_values_files
from stacks.environments import ENVIRONMENTS, ConfigError, aimed
from stacks.stack.local import local_facts
from synthkit import ROOT

LOCAL = ENVIRONMENTS["local"]
DRILL = "platform:\n  services:\n    rest-api:\n      env: {DRILL_REVISION: a1}\n"


def values_file(tmp_path, text: str):
    path = tmp_path / "values.yaml"
    path.write_text(text)
    return path


def refusal(tmp_path, text: str) -> str:
    with pytest.raises(ConfigError) as error:
        read_local_values(values_file(tmp_path, text), LOCAL)
    return str(error.value)


def test_the_variable_names_the_file_the_local_environment_reads(tmp_path):
    path = values_file(tmp_path, DRILL)
    local = aimed(LOCAL, settings.local_target({settings.LOCAL_VALUES.name: str(path)}))
    assert local.cluster.chart_values_file == str(path)
    assert aimed(LOCAL, settings.local_target({})).cluster.chart_values_file == ""


def test_the_files_values_are_kept_per_chart_and_carried_as_content(tmp_path):
    local = aimed(LOCAL, settings.LocalTarget(values=values_file(tmp_path, DRILL)))
    facts = local_facts(local)
    assert facts.chart_overrides == {"platform": {"services": {"rest-api": {"env": {"DRILL_REVISION": "a1"}}}}}
    assert facts.chart_values == {}
    assert local_facts(LOCAL) is None


def test_a_file_that_does_not_exist_is_refused_naming_the_variable(tmp_path):
    with pytest.raises(settings.SettingError, match=r"VOICEPLAT_LOCAL_VALUES=.*missing\.yaml.* is not a file"):
        settings.local_target({settings.LOCAL_VALUES.name: str(tmp_path / "missing.yaml")})


def test_a_string_where_the_schema_wants_an_integer_is_refused_naming_chart_key_and_complaint(tmp_path):
    message = refusal(tmp_path, "vad:\n  services:\n    vad: {replicas: many}\n")
    assert "chart vad: at services.vad.replicas: 'many' is not of type 'integer'" in message
    assert "charts/vad/values.schema.json" in message and str(tmp_path / "values.yaml") in message


def test_an_unknown_key_is_refused_naming_chart_and_key(tmp_path):
    message = refusal(tmp_path, "tts:\n  services:\n    tts: {replica: 2}\n")
    assert "chart tts: at services.tts: Additional properties are not allowed ('replica' was unexpected)" in message


def test_every_refused_key_of_every_chart_is_named_at_once(tmp_path):
    message = refusal(tmp_path, "vad: {services: {vad: {replicas: many}}}\nplatform: {defaults: {colour: red}}\n")
    assert "chart vad: at services.vad.replicas" in message and "chart platform: at defaults:" in message


def test_a_list_is_refused_as_not_a_mapping_of_charts(tmp_path):
    message = refusal(tmp_path, "- platform\n- vad\n")
    assert "holds a list, not a mapping of project chart -> values" in message
    assert "the project charts are platform, deepgram, tts, vad" in message


def test_a_key_that_is_no_project_chart_is_refused_naming_the_charts(tmp_path):
    message = refusal(tmp_path, "services: {}\n")
    assert "names 'services', not a project chart" in message
    assert "the project charts are platform, deepgram, tts, vad" in message


def test_a_chart_given_something_other_than_values_is_refused(tmp_path):
    assert "gives chart vad a list, not a mapping of values" in refusal(tmp_path, "vad: [replicas]\n")


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    assert "is not YAML" in refusal(tmp_path, "vad: {services: [\n")


def test_values_the_schema_accepts_pass_and_an_empty_file_gives_nothing(tmp_path):
    assert read_local_values(values_file(tmp_path, "vad: {services: {vad: {replicas: 2}}}\n"), LOCAL) == {
        "vad": {"services": {"vad": {"replicas": 2}}}
    }
    assert read_local_values(values_file(tmp_path, ""), LOCAL) == {}


@pytest.mark.parametrize(
    "chart, values",
    [
        ("vad", {"services": {"vad": {"replicas": "many"}}}),
        ("tts", {"services": {"tts": {"replica": 2}}}),
        ("vad", {"services": {"vad": {"replicas": 2}}}),
        ("platform", yaml.safe_load(DRILL)["platform"]),
    ],
)
def test_helm_refuses_exactly_the_values_the_check_refuses(chart, values, tmp_path):
    """The check merges the layers as Helm does: Helm's own schema check, on the same layers, agrees with it."""
    try:
        helm = tools.tool("helm")
    except tools.ToolMissing:
        pytest.skip("helm is not built (make tools)")
    (generated := tmp_path / "generated.yaml").write_text(yaml.safe_dump(environment_values(LOCAL)))
    (override := tmp_path / "override.yaml").write_text(yaml.safe_dump(values))
    files = [*chart_values_files(LOCAL, chart), generated, override]
    helm_refuses = (
        subprocess.run(
            [
                helm,
                "template",
                chart,
                str(CHARTS_DIR / chart),
                *[arg for path in files for arg in ("--values", str(path))],
            ],
            capture_output=True,
            text=True,
        ).returncode
        != 0
    )
    try:
        read_local_values(values_file(tmp_path, yaml.safe_dump({chart: values})), LOCAL)
        we_refuse = False
    except ConfigError:
        we_refuse = True
    assert helm_refuses == we_refuse


def test_the_runner_refuses_bad_values_before_it_looks_for_a_cluster(tmp_path):
    bad = values_file(tmp_path, "vad: {services: {vad: {replicas: many}}}\n")
    with pytest.raises(LocalDeployError, match=r"chart vad: at services\.vad\.replicas: 'many' is not of type"):
        deploy_local(str(tmp_path / "no-kubeconfig"), "kind-voiceplat-local", values=bad)


def test_cdktf_synth_by_hand_refuses_bad_values_before_synthesizing(tmp_path):
    """`VOICEPLAT_LOCAL_VALUES=<file> cdktf deploy local`: main.py stops with the message, no traceback."""
    bad = values_file(tmp_path, "vad: {services: {vad: {replicas: many}}}\n")
    env = dict(
        os.environ,
        **{settings.STACKS.name: "local", settings.LOCAL_VALUES.name: str(bad)},
        CDKTF_OUTDIR=str(tmp_path / "out"),
    )
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"voiceplat: VOICEPLAT_LOCAL_VALUES ({bad}): values the charts' schemas refuse")
    assert "chart vad: at services.vad.replicas: 'many' is not of type 'integer'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "stacks" / "local").exists()


@pytest.fixture
def handed_to_cdktf(monkeypatch) -> list[dict]:
    """The environments the runner hands `cdktf synth`, with no cluster: the cluster check passes, and the runner
    stops right after making the environment (as a failed synth would)."""
    seen, make_env = [], localenv.deploy.cdktf_env
    for setting in settings.SETTINGS.values():
        if setting is not settings.CACHE:
            monkeypatch.delenv(setting.name, raising=False)  # the developer's shell does not leak in
    monkeypatch.setattr(localenv.deploy, "check_cluster", lambda target: None)
    monkeypatch.setattr(localenv.deploy, "load_toolchain", lambda: SimpleNamespace(tofu="tofu", tf_cli_config=""))

    def record(target, local):
        seen.append(make_env(target, local))
        raise LocalDeployError("stopped by the test before synth")

    monkeypatch.setattr(localenv.deploy, "cdktf_env", record)
    return seen


@pytest.mark.parametrize("command", ["deploy", "up"])
def test_make_deploy_and_make_up_hand_the_values_file_to_the_synth(command, tmp_path, monkeypatch, handed_to_cdktf):
    """`VOICEPLAT_LOCAL_VALUES=<file> make deploy` (and `make up`) deploy the file's values, not "no changes"."""
    path = values_file(tmp_path, DRILL)
    monkeypatch.setenv(settings.LOCAL_VALUES.name, str(path))
    assert localenv.__main__.main([command]) == 1  # stopped before synth
    (env,) = handed_to_cdktf
    assert settings.local_target(env).values == path
    assert aimed(LOCAL, settings.local_target(env)).cluster.chart_values_file == str(path)


@pytest.mark.parametrize("command", ["deploy", "up"])
def test_make_deploy_and_make_up_refuse_bad_values_before_anything(
    command, tmp_path, monkeypatch, capsys, handed_to_cdktf
):
    monkeypatch.setenv(settings.LOCAL_VALUES.name, str(values_file(tmp_path, "vad: {services: {vad: {replica: 2}}}")))
    assert localenv.__main__.main([command]) == 1
    assert handed_to_cdktf == []
    assert "chart vad: at services.vad: Additional properties are not allowed" in capsys.readouterr().err


def test_the_synth_gets_the_target_as_one_variable_and_no_plain_one(tmp_path, monkeypatch, handed_to_cdktf):
    for name, value in {
        settings.DELIVERY.name: "helm",
        settings.CLUSTER.name: "voiceplat-local",
        settings.LOCAL_VALUES.name: str(values_file(tmp_path, DRILL)),
    }.items():
        monkeypatch.setenv(name, value)
    assert localenv.__main__.main(["deploy"]) == 1
    (env,) = handed_to_cdktf
    assert not {part.name for part in settings.TARGET_PARTS.values()} & set(env)
    assert settings.LOCAL_TARGET.read(env).delivery == "helm"


def test_a_deploy_that_passes_no_values_gets_none_from_the_shell(tmp_path, monkeypatch, handed_to_cdktf):
    """The e2e suite's deploys (deploy_local without values) are not changed by a developer's exported file."""
    monkeypatch.setenv(settings.LOCAL_VALUES.name, str(values_file(tmp_path, DRILL)))
    with pytest.raises(LocalDeployError, match="stopped by the test"):
        deploy_local(str(tmp_path / "kubeconfig"), "kind-voiceplat-e2e-1")
    (env,) = handed_to_cdktf
    assert settings.local_target(env) == settings.LocalTarget(
        cluster="voiceplat-e2e-1", kubeconfig=str(tmp_path / "kubeconfig")
    )
