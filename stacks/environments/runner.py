"""The deploy runner of each region: a self-hosted GitHub Actions runner in a small network of its own, made once by
its bootstrap stack (`cdktf deploy runner-aws-<region>` / `runner-azure-<location>`, stacks/runner/) after the
region's state store and before its environments. `cdktf deploy <production environment>` runs on its region's
runner: each production stack peers its network with the runner's, routes between them and links the runner to its
private DNS, before anything that talks to its cluster's private API (stacks/runner/path_*.py). Plain data, like
state.py.
"""

import ipaddress
from dataclasses import dataclass

from .kinds import Cloud
from .state import AzureState, S3State


@dataclass(frozen=True, kw_only=True)
class DeployRunner:
    name: str  # the bootstrap stack's name, and the network's (tag Name / VNet name) the environments look up
    cloud: Cloud
    region: str
    cidr: str  # the runner's network (a /24 or larger): every production cluster's deploy_runner_cidrs holds it
    machine: str  # EC2 instance type / Azure VM size
    state: S3State | AzureState  # the store of its region, where its own state lives (like its region's stacks')
    labels: tuple[str, ...] = ("self-hosted", "deploy")  # the workflows' runs-on (repository variable DEPLOY_RUNNER)
    # The secret store entry holding a GitHub runner registration token, put there before the bootstrap
    # (docs/cloud-runbook.md section 5): Secrets Manager <name> / the runner vault's secret of this name.
    token_secret: str = "voiceplat-runner-registration"
    runner_version: str = "2.330.0"  # actions/runner release the machine installs at boot
    # AWS: a role of the runner's account that the production stacks' `runner` provider assumes to accept the
    # peering and add the route back, when the runner lives in an account of its own; "" uses the deploy's own
    # credentials (the runner shares the environment's account, or they reach both).
    peering_role: str = ""

    @property
    def public_subnet(self) -> str:
        """The first quarter of the network: the NAT gateway of the runner's egress to GitHub (AWS)."""
        return self._quarters[0]

    @property
    def private_subnet(self) -> str:
        """The second quarter: the runner itself, no public address."""
        return self._quarters[1]

    @property
    def _quarters(self) -> list[str]:
        network = ipaddress.ip_network(self.cidr)
        return [str(quarter) for quarter in network.subnets(prefixlen_diff=2)]

    @property
    def region_label(self) -> str:
        """The label a region's deploy jobs run on (beside `labels`), so each lands on the runner its region peers
        with."""
        return f"deploy-{self.region}"

    @property
    def network_name(self) -> str:
        return f"voiceplat-{self.name}"
