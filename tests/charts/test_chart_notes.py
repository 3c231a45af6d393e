"""NOTES.txt tells how to reach each service: its in-cluster URL, the node port or public host when it has
one, a port-forward command, and how to run the chart's `helm test`."""
import shutil

import pytest

import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]
# helm template does not print NOTES.txt: a copy of the chart renders the same text into a ConfigMap.
PROBE = '''{{- define "probe.notes" }}%s{{- end }}
apiVersion: v1
kind: ConfigMap
metadata: {name: notes}
data:
  notes: {{ include "probe.notes" . | toJson }}
'''


def notes(tmp_path, scenario) -> str:
    copy = tmp_path / scenario.chart
    shutil.copytree(scenario.chart_dir, copy)  # the library symlink becomes a real folder
    (copy / "templates" / "notes-probe.yaml").write_text(PROBE % (copy / "templates" / "NOTES.txt").read_text())
    result = chartkit.helm("template", scenario.chart, str(copy), "--namespace", "voiceplat", *scenario.helm_args(),
                           "--show-only", "templates/notes-probe.yaml")
    assert result.returncode == 0, result.stderr
    return chartkit.documents(result.stdout)[0]["data"]["notes"]


def scenario(chart, name):
    return next(s for s in chartkit.scenarios(chart) if s.name == name)


@pytest.mark.parametrize("chart", chartkit.CHARTS)
def test_notes_list_every_service_with_its_url_and_a_port_forward(tmp_path, chart):
    text = notes(tmp_path, scenario(chart, "ci-e2e"))
    for name in chartkit.services(scenario(chart, "ci-e2e")):
        assert f"{name}: http://{name}.voiceplat.svc.cluster.local:80" in text
        assert f"kubectl -n voiceplat port-forward svc/{name} 8080:80" in text
    assert f"helm test {chart} -n voiceplat" in text


def test_notes_show_the_node_port_on_kind_and_public_hosts_in_the_clouds(tmp_path):
    assert "from outside: http://<node address>:30080" in notes(tmp_path / "e2e", scenario("platform", "ci-e2e"))
    prod = notes(tmp_path / "prod", scenario("platform", "prod-aws-eu-west-1"))
    assert "public: https://api.eu.voice.example.com/graphql" in prod
    assert "public: https://voice.eu.voice.example.com/" in prod
