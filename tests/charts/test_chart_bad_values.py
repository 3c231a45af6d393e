"""Bad values fail at render time with a message that names the key and says what to do."""

import pytest
import yaml

import chartkit

pytestmark = [pytest.mark.charts, pytest.mark.slow]
E2E = chartkit.Scenario("platform", "ci-local", (chartkit.CHARTS_DIR / "platform" / "values" / "env-local.yaml",))
PROD = next(s for s in chartkit.scenarios("platform") if s.name == "prod-aws-eu-west-1")


def render_error(tmp_path, overrides: dict, scenario=E2E, chart_values_only=False) -> str:
    """helm's error for `scenario` plus `overrides` (or values.yaml plus overrides alone); fails if it renders."""
    extra = tmp_path / "bad-values.yaml"
    extra.write_text(yaml.safe_dump(overrides))
    layers = () if chart_values_only else scenario.values
    bad = chartkit.Scenario(scenario.chart, "bad", (*layers, extra))
    result = chartkit.helm(*chartkit.template_args(bad))
    assert result.returncode != 0, f"{overrides} rendered without an error"
    return result.stderr


def test_a_misspelled_key_fails_naming_the_key_and_where_it_is(tmp_path):
    error = render_error(tmp_path, {"services": {"rest-api": {"replcas": 3}}})
    assert "/services/rest-api" in error and "'replcas' not allowed" in error


def test_a_misspelled_service_name_fails_naming_it(tmp_path):
    error = render_error(tmp_path, {"services": {"rest-apii": {"replicas": 3}}})
    assert "'rest-apii' not allowed" in error


def test_a_misspelled_global_setting_fails_naming_it(tmp_path):
    error = render_error(tmp_path, {"global": {"monitoring": {"serviceMonitr": {"enabled": True}}}})
    assert "/global/monitoring" in error and "'serviceMonitr' not allowed" in error


def test_a_wrong_type_fails_naming_the_key_and_the_type_wanted(tmp_path):
    error = render_error(tmp_path, {"services": {"rest-api": {"hpa": {"minReplicas": "two"}}}})
    assert "/services/rest-api/hpa/minReplicas" in error and "want integer" in error


def test_a_value_outside_its_choices_fails_listing_them(tmp_path):
    error = render_error(tmp_path, {"global": {"secrets": {"provider": "vault"}}})
    assert "/global/secrets/provider" in error and "'kubernetes', 'aws', 'azure'" in error


def test_a_missing_environment_fails_naming_it(tmp_path):
    error = render_error(tmp_path, {"services": {"rest-api": {"replicas": 1}}}, chart_values_only=True)
    assert "/global" in error and "missing property 'environment'" in error


def test_a_missing_image_repository_fails_naming_the_service(tmp_path):
    error = render_error(
        tmp_path, {"services": {"voice": {"image": {"repository": ""}}}, "defaults": {"image": {"repository": ""}}}
    )
    assert "services.voice.image.repository is empty" in error


def test_a_latest_tag_is_refused_naming_the_service(tmp_path):
    error = render_error(tmp_path, {"services": {"text": {"image": {"tag": "latest"}}}})
    assert 'services.text.image.tag is "latest": pin a version' in error


def test_a_node_port_service_without_its_port_fails(tmp_path):
    error = render_error(tmp_path, {"services": {"rest-api": {"service": {"nodePort": 0}}}})
    assert "services.rest-api.service.type is NodePort without service.nodePort" in error


def test_an_hpa_minimum_above_its_maximum_fails(tmp_path):
    error = render_error(tmp_path, {"services": {"voice": {"hpa": {"minReplicas": 5, "maxReplicas": 2}}}})
    assert "services.voice.hpa.minReplicas (5) is above maxReplicas (2)" in error


def test_metrics_on_an_undeclared_port_fail_listing_the_ports(tmp_path):
    error = render_error(tmp_path, {"services": {"text": {"metrics": {"port": "metrics"}}}})
    assert 'services.text.metrics.port is "metrics", which is not one of its ports (http)' in error


def test_an_ingress_without_a_domain_fails_saying_who_sets_it(tmp_path):
    error = render_error(tmp_path, {"global": {"ingress": {"domain": ""}}}, scenario=PROD)
    assert "ingress.host renders to" in error and "set global.ingress.domain" in error


def test_key_vault_secrets_without_the_vault_identity_fail(tmp_path):
    error = render_error(
        tmp_path, {"global": {"secrets": {"provider": "azure", "azure": {"clientId": ""}}}}, scenario=PROD
    )
    assert "global.secrets.azure.clientId is empty" in error


def test_one_metric_name_with_two_adapter_rules_fails_naming_both_services(tmp_path):
    metric = {
        "name": "http_requests_per_second",
        "type": "Pods",
        "target": "5",
        "adapter": {"series": "requests_total", "aggregation": "rate"},
    }
    error = render_error(tmp_path, {"services": {"integrations": {"hpa": {"custom": [metric]}}}}, scenario=PROD)
    assert 'custom metric "http_requests_per_second" is defined differently by services' in error


def test_batch_work_of_a_disabled_service_fails_naming_it(tmp_path):
    error = render_error(
        tmp_path, {"services": {"media": {"enabled": False}}, "batch": {"media-migrate": {"enabled": True}}}
    )
    assert 'refers to service "media", which is not an enabled service' in error
