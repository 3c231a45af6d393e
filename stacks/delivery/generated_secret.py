"""Secret values the stack generates once, and the one-Secret releases (secret-chart/) that carry them into the
cluster: never through values files, git or the plan's output.

A generated value is a `terraform_data` whose input is two random UUIDs (122 random bits each, Terraform's uuid())
without their dashes, marked sensitive and kept by `ignore_changes`, so later plans never change it; kind takes
the same path offline (Terraform's own terraform_data and a local chart).
"""

from collections.abc import Mapping, Sequence
from pathlib import Path

from cdktf import ITerraformDependable, TerraformResource, TerraformResourceLifecycle
from cdktf_cdktf_provider_helm.release import Release
from constructs import Construct

from .release import Timing, release, values_document

SECRET_CHART = Path(__file__).resolve().parent / "secret-chart"
GENERATED = '${sensitive(replace(join("", [uuid(), uuid()]), "-", ""))}'


def generated_value(scope: Construct, id_: str) -> str:
    """A new secret value (64 hex digits), made at the first apply and kept: a reference to it, sensitive."""
    value = TerraformResource(
        scope,
        id_,
        terraform_resource_type="terraform_data",
        lifecycle=TerraformResourceLifecycle(ignore_changes=["input"]),
    )
    value.add_override("input", GENERATED)
    return value.get_string_attribute("output")


def data_key(key: str) -> str:
    """Helm's `--set` path of a Secret entry of secret-chart (a dot in the key is escaped)."""
    return "data." + key.replace(".", "\\.")


def secret_release(
    scope: Construct,
    id_: str,
    *,
    name: str,
    namespace: str,
    sensitive: Mapping[str, str],
    data: Mapping[str, str] | None = None,
    create_namespace: bool = False,
    depends_on: Sequence[ITerraformDependable] = (),
) -> Release:
    """The release (named after the Secret) of Secret `name`: `sensitive` entries (generated values) set as
    sensitive values, `data` entries that are not secret in its values."""
    return release(
        scope,
        id_,
        name=name,
        namespace=namespace,
        create_namespace=create_namespace,
        chart=SECRET_CHART,
        timing=Timing.QUICK,
        values=[values_document({"name": name, **({"data": dict(data)} if data else {})})],
        sensitive={data_key(key): value for key, value in sensitive.items()},
        depends_on=depends_on,
    )
