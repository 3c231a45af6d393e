"""The providers `make validate-cloud` and `make emulate-aws` run the stacks with: which the stacks ask for, each
built here (unless cached) and offered by a mirror of their builds, the OpenTofu environment that installs them
from it and nothing from a registry, and the work folder of a stack asking for exactly those versions."""

import json
import shutil
import sys
import time
from pathlib import Path

from bootstrap.errors import BootstrapError
from bootstrap.terraform import AWS, AZURERM, HELM, KUBERNETES, Provider, cli_config, deploy_env, provider_mirror
from contract.tools import ToolMissing, tool

from .synthesized import required_providers

PROVIDERS = {provider.name: provider for provider in (AWS, AZURERM, HELM, KUBERNETES)}
MIRROR, CLI_CONFIG = "terraform-providers-validate", "tofu-validate.rc"  # beside the deploy's, never instead of it
OVERRIDE_FILE = "validate_override.tf.json"  # OpenTofu merges *_override.tf.json over the stack's own file


def tofu_or_exit(target: str) -> str:
    """The built tofu; else says so with the fix, naming `target`, and exits 2."""
    try:
        return tool("tofu")
    except ToolMissing as missing:
        print(f"{target}: {missing}", file=sys.stderr)
        raise SystemExit(2) from missing


def providers_of(stacks: dict[str, Path], target: str) -> dict[str, Provider]:
    """name -> Provider for every provider the stacks ask for. Raises SystemExit naming one no recipe builds."""
    names = {name for folder in stacks.values() for name in required_providers(folder)}
    if unknown := sorted(names - set(PROVIDERS)):
        raise SystemExit(
            f"{target}: no recipe builds provider(s) {', '.join(unknown)}. Fix: pin them in "
            "contract/pins.py and add them to bootstrap/gotools.py and bootstrap/terraform.py"
        )
    return {name: PROVIDERS[name] for name in sorted(names)}


def build(providers: dict[str, Provider]) -> None:
    """Each provider built unless the cache has it, with the time it took."""
    for provider in providers.values():
        if provider.build.built():
            print(f"provider {provider.name} {provider.version}: built before ({provider.build.folder.name})")
            continue
        started = time.monotonic()
        provider.build.prefetch()
        fetched = time.monotonic()
        provider.build.build()
        print(
            f"provider {provider.name} {provider.version}: modules {fetched - started:.0f}s, "
            f"compile {time.monotonic() - fetched:.0f}s"
        )


def tofu_environment(tofu: str, providers: dict[str, Provider], target: str) -> dict:
    """The environment tofu runs in, installing `providers` (built first, unless cached) from their builds and
    nothing from a registry; a failed build is said naming `target`, and exits 2."""
    try:
        build(providers)
    except BootstrapError as error:
        print(f"{target}: {error}", file=sys.stderr)
        raise SystemExit(2) from error
    chosen = tuple(providers.values())
    return deploy_env(tofu, str(cli_config(provider_mirror(chosen, MIRROR), chosen, CLI_CONFIG)))


def work_folder(stack_folder: Path, work: Path, providers: dict[str, Provider], required: dict) -> Path:
    """A copy of the synthesized stack asking for the versions the mirror has of each provider it requires
    (`required`: its required_providers). Raises KeyError naming one the mirror lacks."""
    folder = work / stack_folder.name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(stack_folder, folder, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
    required = {name: {"source": f"hashicorp/{name}", "version": providers[name].version} for name in required}
    (folder / OVERRIDE_FILE).write_text(json.dumps({"terraform": {"required_providers": required}}, indent=2))
    return folder
