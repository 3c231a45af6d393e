"""What a region's stacks may name: checks of the synthesized JSON for references to another region's resources,
stores and keys (docs/multi-region.md, "Regions are independent"). The global entries' stacks are the exception:
they read every region on purpose."""

import json
import re
from collections.abc import Iterable

from stacks.app import deploy_runners, state_stores
from stacks.environments import Cloud, Environment
from stacks.environments.catalog import GLOBAL_ENTRIES
from stacks.registry.azure import registry_name


def region_of(name: str, environments: dict[str, Environment]) -> str | None:
    """The region a stack belongs to: its environment's, its runner's or its store's; None for local and the global
    entries."""
    if name in GLOBAL_ENTRIES:
        return None
    if name in environments:
        environment = environments[name]
        return None if environment.cloud is Cloud.LOCAL else environment.region
    if name in (runners := deploy_runners()):
        return runners[name].region
    return state_stores()[name].region


def marks(region: str, environments: Iterable[Environment]) -> dict[str, str]:
    """Every name that belongs to a region other than `region`, with what it is: the region itself, its
    environments, their clusters, domains, registries, the deploy runners (stack and network) and the state stores
    (bucket, account, group; the key alias is shared by name but lives in its region, so the bucket and its region
    stand for it)."""
    found: dict[str, str] = {}
    for environment in environments:
        if environment.cloud is Cloud.LOCAL or environment.region == region:
            continue
        owner = f"{environment.name} ({environment.region})"
        found[environment.region] = f"region of {owner}"
        found[environment.name] = f"environment {owner}"
        found[environment.cluster_name] = f"cluster of {owner}"
        found[environment.ingress.domain] = f"domain of {owner}"
        found[registry_name(environment.name)] = f"registry of {owner}"
    for runner in deploy_runners().values():
        if runner.region != region:
            found[runner.name] = f"deploy runner of {runner.region}"
            found[runner.network_name] = f"network of the deploy runner of {runner.region}"
    for store in state_stores().values():
        if store.region != region:
            for value in (
                getattr(store, "bucket", ""),
                getattr(store, "storage_account", ""),
                getattr(store, "resource_group", ""),
            ):
                if value:
                    found[value] = f"state store of {store.region}"
    return found


def violations(document: dict, region: str, environments: Iterable[Environment]) -> list[str]:
    """Each other region's name the document holds, as `<name>: <whose>`; empty when the stack stays in `region`."""
    text = json.dumps(document)
    return sorted(
        f"{mark}: {whose}"
        for mark, whose in marks(region, environments).items()
        if re.search(rf"(?<![A-Za-z0-9]){re.escape(mark)}(?![A-Za-z0-9-])", text)
    )
