"""What every environment's stack has, whatever its cloud: its name, its state file, and a cluster to
deliver the platform onto.

A cloud's stack (aws.py, azure.py, local.py) wires its constructs, then sets `connection` (how the
Kubernetes and Helm providers reach the cluster) and `cluster_ready` (what must exist before anything
is installed on it). The platform-delivery construct is added from those two, the same way on every
cloud.
"""
import os
from pathlib import Path

from constructs import Construct
from cdktf import ITerraformDependable, LocalBackend, TerraformOutput, TerraformStack

from ..connection import ClusterConnection
from ..environments import Environment

ROOT = Path(__file__).resolve().parents[2]
# Where state files live (default: the project's root). `deploy_local` points it at a folder per cluster.
STATE_DIR_VARIABLE = "VOICEPLAT_STATE_DIR"


def state_path(environment: str) -> str:
    """An absolute path: a relative one would resolve inside cdktf.out/stacks/<name>/, which cdktf deletes
    whenever a synth leaves that stack out (VOICEPLAT_STACKS=prod-eu would wipe local's state)."""
    folder = Path(os.environ.get(STATE_DIR_VARIABLE) or ROOT).expanduser().resolve()
    return str(folder / f"terraform.{environment}.tfstate")


class EnvironmentStack(TerraformStack):
    def __init__(self, scope: Construct, *, environment: Environment):
        super().__init__(scope, environment.name)
        self.environment = environment
        # State next to the project, one file per environment (ignored by git: terraform.*.tfstate*).
        LocalBackend(self, path=state_path(environment.name))
        self.connection: ClusterConnection | None = None
        self.cluster_ready: list[ITerraformDependable] = []

    def deliver_platform(self, facts=None) -> None:
        """Adds the platform delivery (stacks/delivery) once `connection` and `cluster_ready` are set."""
        from ..delivery.facts import ClusterFacts
        from ..delivery.platform import PlatformDelivery

        self.delivery = PlatformDelivery(self, "platform", environment=self.environment, connection=self.connection,
                                         cluster_ready=self.cluster_ready, facts=facts or ClusterFacts())

    def output(self, name: str, value, description: str) -> None:
        TerraformOutput(self, name, value=value, description=description)
