"""A plan-time check for clusters reached through a kubeconfig (kind): the context must exist.

Without it, `cdktf deploy local` with no cluster running fails inside the providers' configuration with
`context "kind-voiceplat-local" does not exist`; this check adds what to do about it.
"""

from cdktf import Fn, Precondition, TerraformLocal, TerraformResource, TerraformResourceLifecycle
from constructs import Construct

import contract

from ..connection import ClusterConnection


class KubeconfigContextCheck(Construct):
    def __init__(self, scope: Construct, id_: str, *, connection: ClusterConnection):
        super().__init__(scope, id_)
        path, context = connection.config_path, connection.config_context
        # A precondition must refer to something of the configuration: the contexts are a local value.
        contexts = TerraformLocal(
            self, "contexts", f'${{[for c in try(yamldecode(file(pathexpand("{path}"))).contexts, []) : c.name]}}'
        )
        self.check = TerraformResource(
            self,
            "context-exists",
            terraform_resource_type="terraform_data",
            lifecycle=TerraformResourceLifecycle(
                precondition=[
                    Precondition(
                        condition=Fn.contains(contexts.as_list, context),
                        error_message=f"The kubeconfig {path} has no context {context}: "
                        f"no kind cluster is running there. Fix: {contract.START_THE_LOCAL_CLUSTER}.",
                    )
                ]
            ),
        )
