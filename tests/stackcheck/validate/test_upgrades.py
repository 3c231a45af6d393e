"""validate-cloud against a provider a major ahead: errors on resources that major's upgrade guide changes are set
aside as the upgrade's (stackcheck/validate/upgrades.py); every other error still makes the stack invalid."""

import pytest

from stackcheck.validate.stack import StackResult
from stackcheck.validate.upgrades import GUIDE, guide_changes, major, majors_between, set_aside

GUIDE_TEXT = """# v5.0 upgrade guide

## Breaking changes in Resources

### `azurerm_federated_identity_credential`

* The deprecated `parent_id` property has been removed in favour of the `user_assigned_identity_id` property.

### `azurerm_kubernetes_cluster`

* The `node_provisioning_profile` block is now required.
* The `oidc_issuer_enabled` property now defaults to `true`.

## Data Sources

Text that is no section's.
* Not a resource's line either.
"""
RENAMED = (
    'Extraneous JSON object property: No argument or block type is named "parent_id". '
    "(cdk.tf.json:183, resource.azurerm_federated_identity_credential.ci-deploy)"
)
UNCHANGED = (
    'Missing required argument: The argument "location" is required, but no definition was found. '
    "(cdk.tf.json:40, resource.azurerm_resource_group.group)"
)


def provider_source(folder, *majors):
    for step in majors:
        guide = folder / GUIDE.format(major=step)
        guide.parent.mkdir(parents=True, exist_ok=True)
        guide.write_text(GUIDE_TEXT)
    return folder


def result(*errors, asked="4.55.0", validated="5.2.0"):
    return StackResult("prod-eu-az", {"azurerm": validated}, {"azurerm": asked}, errors=list(errors))


def test_a_guide_reads_as_each_types_lines_and_nothing_outside_its_sections():
    assert guide_changes(GUIDE_TEXT) == {
        "azurerm_federated_identity_credential": [
            "The deprecated `parent_id` property has been removed in favour of the `user_assigned_identity_id` "
            "property."
        ],
        "azurerm_kubernetes_cluster": [
            "The `node_provisioning_profile` block is now required.",
            "The `oidc_issuer_enabled` property now defaults to `true`.",
        ],
    }


def test_the_guides_read_are_those_after_the_asked_major_up_to_the_validated_one(tmp_path):
    source = provider_source(tmp_path, 4, 5, 6)
    assert list(majors_between(source, "3.117.0", "5.2.0")) == ["4.0", "5.0"]
    assert majors_between(source, "5.1.0", "5.2.0") == {}


def test_a_missing_guide_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"5\.0-upgrade-guide.*not in its module source"):
        majors_between(provider_source(tmp_path, 4), "4.55.0", "5.2.0")


def test_an_error_on_a_resource_the_guide_changes_is_the_upgrades_and_the_stack_stays_valid(tmp_path):
    majors = majors_between(provider_source(tmp_path, 5), "4.55.0", "5.2.0")
    checked = result(RENAMED)
    set_aside(checked, lambda provider, asked, validated: majors)
    assert checked.valid
    upgrade = checked.upgrades["azurerm 5.0"]["azurerm_federated_identity_credential"]
    assert upgrade.errors == [RENAMED] and "user_assigned_identity_id" in upgrade.guide[0]


def test_an_error_on_a_resource_the_guide_leaves_alone_still_makes_the_stack_invalid(tmp_path):
    majors = majors_between(provider_source(tmp_path, 5), "4.55.0", "5.2.0")
    checked = result(RENAMED, UNCHANGED)
    set_aside(checked, lambda provider, asked, validated: majors)
    assert checked.errors == [UNCHANGED] and not checked.valid


def test_within_the_asked_major_no_guide_is_asked_for_and_every_error_counts():
    asked = []
    checked = result(RENAMED, asked="5.0.0")
    set_aside(checked, lambda *versions: asked.append(versions) or {})
    assert asked == [] and checked.errors == [RENAMED] and not checked.upgrades


def test_the_major_of_an_exact_constraint_is_its_versions():
    assert major("4.55.0") == major("= 4.55.0") == 4
