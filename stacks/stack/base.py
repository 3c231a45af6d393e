"""What every environment's stack has, whatever its cloud: its name, its state backend, and a cluster to
deliver the platform onto.

A cloud's stack (aws.py, azure.py, local.py) wires its constructs, then sets `connection` (how the
Kubernetes and Helm providers reach the cluster) and `cluster_ready` (what must exist before anything
is installed on it). The platform-delivery construct is added from those two, the same way on every
cloud.
"""

from cdktf import AzurermBackend, ITerraformDependable, LocalBackend, S3Backend, TerraformOutput, TerraformStack
from constructs import Construct

from ..connection import ClusterConnection
from ..environments import Environment
from ..environments.global_entry import GlobalEntry
from ..environments.state import AzureState, S3State


def state_path(environment: str) -> str:
    """Beside the synthesis folder: Terraform runs in cdktf.out/stacks/<name>/, and the state must live outside
    cdktf.out, which cdktf empties of the stacks a synth leaves out (VOICEPLAT_STACKS=prod-eu would wipe local's).
    Relative, so the synthesized stack names no folder of the machine that made it: `make up` keeps its state in
    the project root, localenv's other clusters in their own folder (their cdktf.out sits there)."""
    return f"../../../terraform.{environment}.tfstate"


def state_backend(stack: TerraformStack, environment: Environment | GlobalEntry) -> None:
    """The environment's (or global entry's) state store (environments/state.py): one object per environment, locked
    and encrypted in its region; the local environment's state file beside cdktf.out (ignored by git:
    terraform.*.tfstate*)."""
    state_backend_for(stack, environment.name, environment.state)


def state_backend_for(stack: TerraformStack, name: str, state) -> None:
    """The backend of the stack `name` keeping its state in `state` (an environment's, a runner bootstrap's)."""
    if isinstance(state, S3State):
        S3Backend(
            stack,
            bucket=state.bucket,
            key=state.key(name),
            region=state.region,
            encrypt=True,
            kms_key_id=state.kms_key_alias,
        )
        # S3's own conditional-write lock file (Terraform 1.10+, OpenTofu 1.10+): no DynamoDB table to run.
        # The pinned cdktf bindings predate the argument, so it is set on the synthesized block.
        stack.add_override("terraform.backend.s3.use_lockfile", True)
    elif isinstance(state, AzureState):
        AzurermBackend(
            stack,
            resource_group_name=state.resource_group,
            storage_account_name=state.storage_account,
            container_name=state.container(name),
            key=state.key(name),
            use_azuread_auth=True,
        )
    else:
        LocalBackend(stack, path=state_path(name))


class EnvironmentStack(TerraformStack):
    def __init__(self, scope: Construct, *, environment: Environment):
        super().__init__(scope, environment.name)
        self.environment = environment
        state_backend(self, environment)
        self.connection: ClusterConnection | None = None
        self.cluster_ready: list[ITerraformDependable] = []

    def deliver_platform(self, facts=None) -> None:
        """Adds the platform delivery (stacks/delivery) once `connection` and `cluster_ready` are set."""
        from ..delivery.facts import ClusterFacts
        from ..delivery.platform import PlatformDelivery

        self.delivery = PlatformDelivery(
            self,
            "platform",
            environment=self.environment,
            connection=self.connection,
            cluster_ready=self.cluster_ready,
            facts=facts or ClusterFacts(),
        )

    def output(self, name: str, value, description: str) -> None:
        TerraformOutput(self, name, value=value, description=description)

    def output_public_hosts(self) -> None:
        """The region's public hosts by label: what its cloud's global entry points at (stacks/global_entry/)."""
        from ..delivery.public_hosts import public_hosts

        self.output(
            "public_hosts",
            public_hosts(self.environment.ingress.domain),
            "The region's public hosts by label, which its cloud's global entry points at (stacks/global_entry)",
        )
