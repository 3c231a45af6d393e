"""The Helm provider of an environment's stack, configured from its ClusterConnection. Everything the
stacks put on a cluster is a Helm release, cluster-level objects too (the platform namespace with its Pod
Security labels: platform_charts.py; the clouds' StorageClasses: cluster_storage.py), so there is no Kubernetes
provider: its bindings cost seconds of import on every synth (bench/synth.py keeps synth within 1.3x the AWS
bindings' import), a second provider would need its own build and mirror entry for `cdktf deploy local`, and a
one-object local chart gives the same lifecycle (created, updated in place, removed with the release).

Provider version: the prebuilt cdktf bindings pin the exact version they were generated from (helm
3.1.1). `cdktf deploy local` runs offline against a filesystem mirror holding the provider the bootstrap
builds from its Go module (contract/pins.py), and the mirror has only that version. So every stack asks
for exactly the version the project builds, local and cloud alike, and both run the same provider code;
the 3.x releases keep the resource shape the bindings describe. The AWS stacks likewise ask for the release the
AWS provider built by `make validate-cloud` follows (6.x keeps the shape of the bindings' 6.25.0); a cloud deploy
downloads it from the registry.
"""

from cdktf import TerraformStack
from cdktf_cdktf_provider_helm.provider import HelmProvider, HelmProviderKubernetes, HelmProviderKubernetesExec
from constructs import Construct

from contract import pins

from ..connection import ClusterConnection

# aws: the release the built provider follows (contract/pins.py says why), which the registry has.
PROVIDER_VERSIONS = {"helm": pins.TF_PROVIDER_HELM[0], "aws": pins.TF_PROVIDER_AWS_RELEASE}


def pin_provider_version(stack: TerraformStack, name: str) -> None:
    """Replaces the bindings' version constraint of provider `name` with the version the project builds."""
    stack.add_override(f"terraform.required_providers.{name}.version", PROVIDER_VERSIONS[name])


class ClusterProviders(Construct):
    """The `helm` provider reaching one cluster; the stack's releases use it."""

    def __init__(self, scope: Construct, id_: str, *, connection: ClusterConnection):
        super().__init__(scope, id_)
        arguments = connection.provider_arguments()
        exec_auth = arguments.pop("exec", None)
        self.helm = HelmProvider(
            self,
            "helm",
            kubernetes=HelmProviderKubernetes(
                **arguments, exec=HelmProviderKubernetesExec(**exec_auth) if exec_auth else None
            ),
        )
        pin_provider_version(TerraformStack.of(self), "helm")
