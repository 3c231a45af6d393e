"""A changed value reaches the local stack the way every change does (`cdktf deploy local`): a YAML file named by
contract.LOCAL_VALUES_VARIABLE, values per project chart, given to that chart last."""
import pytest

import contract
from stacks.environments import ENVIRONMENTS, aimed
from stacks.stack.local import local_facts


def test_the_variable_names_the_file_the_local_environment_reads():
    local = aimed(ENVIRONMENTS["local"], {contract.LOCAL_VALUES_VARIABLE: "/tmp/drill.yaml"})
    assert local.cluster.chart_values_file == "/tmp/drill.yaml"
    assert aimed(ENVIRONMENTS["local"], {}).cluster.chart_values_file == ""


def test_the_files_values_are_kept_per_chart_and_carried_as_content(tmp_path):
    values = tmp_path / "drill.yaml"
    values.write_text("platform:\n  services:\n    rest-api:\n      env: {DRILL_REVISION: a1}\n")
    facts = local_facts(str(values))
    assert facts.chart_overrides == {"platform": {"services": {"rest-api": {"env": {"DRILL_REVISION": "a1"}}}}}
    assert facts.chart_values == {}
    assert local_facts("") is None


def test_a_key_that_is_no_project_chart_is_refused_naming_the_charts(tmp_path):
    values = tmp_path / "drill.yaml"
    values.write_text("services: {}\n")
    with pytest.raises(ValueError, match="not project charts: key its values by one of platform"):
        local_facts(str(values))
