"""Alerts reach a person: production routes its critical alerts to a receiver, its secrets come from the cloud's
secret store through an identity of Alertmanager's own, and an environment that drops its alerts says so."""
from dataclasses import replace

import pytest

from stacks.environments import ENVIRONMENTS, AlertReceiver, Alerting, ConfigError, Tier
from stacks.environments.catalog import PREVIEW_EU, PROD_EU


def refused(build) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        build()
    return info.value


def test_a_production_environment_without_a_receiver_is_refused_with_the_field_and_the_fix():
    error = refused(lambda: replace(PROD_EU, alerting=Alerting()))
    assert error.path == "prod-eu.alerting.receivers"
    assert "critical alerts" in error.problem and "null receiver would drop them" in error.problem
    assert "kind='pagerduty'" in error.fix and "docs/cloud-runbook.md, 'Alert receivers'" in error.fix
    assert str(error).startswith("prod-eu.alerting.receivers: no receiver takes this production environment's ")


def test_a_production_receiver_of_warnings_only_does_not_count():
    warnings = AlertReceiver(name="chat", kind="slack", severities=("warning",), secret="alertmanager-slack")
    assert refused(lambda: replace(PROD_EU, alerting=Alerting(receivers=(warnings,)))).path == \
        "prod-eu.alerting.receivers"


def test_a_production_environment_cannot_state_a_reason_to_drop_its_alerts():
    alerting = replace(PROD_EU.alerting, null_receiver_reason="nobody wants to be woken up at night for this")
    assert refused(lambda: replace(PROD_EU, alerting=alerting)).path == "prod-eu.alerting.null_receiver_reason"


def test_a_preview_without_receivers_must_say_why_it_drops_its_alerts():
    error = refused(lambda: replace(PREVIEW_EU, alerting=Alerting()))
    assert error.path == "preview-eu.alerting.receivers" and "null_receiver_reason" in error.fix


@pytest.mark.parametrize("name", [n for n, env in ENVIRONMENTS.items() if env.tier is Tier.PREVIEW])
def test_the_previews_keep_the_null_receiver_explicitly(name):
    alerting = ENVIRONMENTS[name].alerting
    assert not alerting.receivers and len(alerting.null_receiver_reason.split()) >= 5


@pytest.mark.parametrize("receiver, path", [
    (AlertReceiver(name="chat", kind="slack"), "prod-eu.alerting.receivers[0].secret"),
    (AlertReceiver(name="chat", kind="slack", secret="s", url="https://hooks.slack.com/x"),
     "prod-eu.alerting.receivers[0].url"),
    (AlertReceiver(name="pager", kind="opsgenie", secret="s"), "prod-eu.alerting.receivers[0].kind"),
    (AlertReceiver(name="null", kind="pagerduty", secret="s"), "prod-eu.alerting.receivers[0].name"),
    (AlertReceiver(name="pager", kind="pagerduty", secret="s", severities=("page",)),
     "prod-eu.alerting.receivers[0].severities"),
    (AlertReceiver(name="hook", kind="webhook"), "prod-eu.alerting.receivers[0].url"),
])
def test_a_malformed_receiver_is_refused_at_its_field(receiver, path):
    assert refused(lambda: replace(PROD_EU, alerting=Alerting(receivers=(receiver,)))).path == path
