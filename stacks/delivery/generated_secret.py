"""Secret values the stack generates once, and the Secrets (kubernetes_secret_v1) that carry them into the cluster:
never through values files, git or the plan's output.

A generated value is a `terraform_data` whose input is two random UUIDs (122 random bits each, Terraform's uuid())
without their dashes, marked sensitive and kept by `ignore_changes`, so later plans never change it; kind takes
the same path offline (Terraform's own terraform_data and the Kubernetes provider the bootstrap builds).
"""

from collections.abc import Mapping, Sequence

from cdktf import ITerraformDependable, TerraformResource, TerraformResourceLifecycle
from constructs import Construct

from .cluster_objects import kubernetes_secret

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


def generated_secret(
    scope: Construct,
    id_: str,
    *,
    name: str,
    namespace: str,
    sensitive: Mapping[str, str],
    data: Mapping[str, str] | None = None,
    depends_on: Sequence[ITerraformDependable] = (),
):
    """Secret `name` in `namespace` (which `depends_on` must create, when the stack does): `sensitive` entries
    (generated values, sensitive in every plan) beside `data` entries that are not secret (a key's public name)."""
    return kubernetes_secret(
        scope, id_, name=name, namespace_name=namespace, data={**(data or {}), **sensitive}, depends_on=depends_on
    )
