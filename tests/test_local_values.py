"""A changed value reaches the local stack the way every change does (`cdktf deploy local`): a YAML file named by
VOICEPLAT_LOCAL_VALUES (contract.settings.LOCAL_VALUES), values per project chart, given to that chart last; a value
the chart's schema refuses is refused at synth, before anything is planned or applied, naming the chart and key."""
import os
import subprocess
import sys

import pytest

from contract import settings
from localenv.deploy import LocalDeployError, deploy_local
from stacks.delivery.local_values import read_local_values
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
        "vad": {"services": {"vad": {"replicas": 2}}}}
    assert read_local_values(values_file(tmp_path, ""), LOCAL) == {}


def test_the_runner_refuses_bad_values_before_it_looks_for_a_cluster(tmp_path):
    bad = values_file(tmp_path, "vad: {services: {vad: {replicas: many}}}\n")
    with pytest.raises(LocalDeployError, match=r"chart vad: at services\.vad\.replicas: 'many' is not of type"):
        deploy_local(str(tmp_path / "no-kubeconfig"), "kind-voiceplat-local", values=bad)


def test_cdktf_synth_by_hand_refuses_bad_values_before_synthesizing(tmp_path):
    """`VOICEPLAT_LOCAL_VALUES=<file> cdktf deploy local`: main.py stops with the message, no traceback."""
    bad = values_file(tmp_path, "vad: {services: {vad: {replicas: many}}}\n")
    env = dict(os.environ, **{settings.STACKS.name: "local", settings.LOCAL_VALUES.name: str(bad)},
               CDKTF_OUTDIR=str(tmp_path / "out"))
    result = subprocess.run([sys.executable, "main.py"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.startswith(f"voiceplat: VOICEPLAT_LOCAL_VALUES ({bad}): values the charts' schemas refuse")
    assert "chart vad: at services.vad.replicas: 'many' is not of type 'integer'" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out" / "stacks" / "local").exists()

