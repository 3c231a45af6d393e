"""The global entry of a cloud: one stack (`global-aws`, `global-azure`) that sends each caller to the nearest healthy
production region of that cloud. Declared in `catalog.py`; which regions it covers is not listed there but derived
from the catalog (every production environment on its cloud), so a region is one catalog entry.

Its stack is deployed after the regions and reads what it needs of them (their public host names) from their
outputs in their own state stores; it is the one kind of stack allowed to read another region's store
(docs/multi-region.md). Its own state lives in the store of `state`'s region.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import ConfigError
from .kinds import Cloud, Tier
from .state import AzureState, S3State

if TYPE_CHECKING:
    from .model import Environment

_NAME = re.compile(r"^global-[a-z][a-z0-9-]{1,20}$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


@dataclass(frozen=True, kw_only=True)
class GlobalEntry:
    name: str  # the stack's name: `cdktf deploy global-aws`
    cloud: Cloud
    # The DNS zone of the global names: each region's public host `<label>.<region's domain>` is also served as
    # `<label>.<domain>`. The stack makes the zone; delegate it from the parent (its output `name_servers`).
    domain: str
    state: S3State | AzureState  # the store of the region the stack's own state lives in
    # AWS only: the account `global-aws` is deployed in. Its release registry replicates the images into each
    # region's registry, whose policy admits this account (stacks/registry/aws.py). A placeholder until set.
    account: str = ""
    tags: tuple[tuple[str, str], ...] = (("project", "voiceplat"), ("managed-by", "cdktf"), ("tier", "global"))

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ConfigError("name", f"{self.name!r} is not a global entry's name", "write global-<cloud>")
        if self.cloud not in (Cloud.AWS, Cloud.AZURE):
            raise ConfigError(f"{self.name}.cloud", f"{self.cloud!r} has no global entry", "use Cloud.AWS or AZURE")
        if not _DOMAIN.match(self.domain):
            raise ConfigError(f"{self.name}.domain", f"{self.domain!r} is not a DNS name", "write e.g. aws.example.com")
        if (self.cloud is Cloud.AWS) != bool(re.fullmatch(r"[0-9]{12}", self.account)):
            raise ConfigError(
                f"{self.name}.account",
                f"{self.account!r} does not fit a {self.cloud.value} entry",
                "set the 12-digit account global-aws is deployed in (AWS); leave it empty on Azure",
            )
        wanted = S3State if self.cloud is Cloud.AWS else AzureState
        if not isinstance(self.state, wanted):
            raise ConfigError(
                f"{self.name}.state",
                f"a {self.cloud.value} stack keeps no state in {type(self.state).__name__}",
                f"use {wanted.__name__}(...)",
            )

    @property
    def region(self) -> str:
        """The region its own state and its few regional resources (a resource group) live in."""
        return self.state.region

    def regions(self, environments: Iterable["Environment"]) -> tuple["Environment", ...]:
        """The environments it sends callers to: every production environment on its cloud, in catalog order."""
        return tuple(env for env in environments if env.cloud is self.cloud and env.tier is Tier.PROD)

    def host(self, label: str) -> str:
        return f"{label}.{self.domain}"
