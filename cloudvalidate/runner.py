"""What `make validate-cloud` and `make emulate-aws` (cloudemulate/) share: their arguments, the synth, and the
OpenTofu environment whose mirror holds the providers they build."""
import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from bootstrap.errors import BootstrapError
from bootstrap.terraform import Provider, cli_config, deploy_env, provider_mirror
from contract import settings
from contract.tools import ToolMissing, tool

MIRROR, CLI_CONFIG = "terraform-providers-validate", "tofu-validate.rc"  # beside the deploy's, never instead of it


def stack_arguments(prog: str, description: str, stacks_help: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--stacks", default="", help=stacks_help)
    parser.add_argument("--out", default="cdktf.out/stacks", help="synthesized stacks (cdktf.out/stacks)")
    parser.add_argument("--synth", action="store_true", help="run `cdktf synth` of the stacks first")
    return parser


def names(args: argparse.Namespace) -> list[str]:
    return [name for name in args.stacks.split(",") if name]


def tofu_or_exit(target: str) -> str:
    """The built tofu; else says so with the fix, naming `target`, and exits 2."""
    try:
        return tool("tofu")
    except ToolMissing as missing:
        print(f"{target}: {missing}", file=sys.stderr)
        raise SystemExit(2) from missing


def synth_if_asked(args: argparse.Namespace) -> None:
    if args.synth:
        env = {**os.environ, **({settings.STACKS.name: ",".join(names(args))} if names(args) else {})}
        subprocess.run(["cdktf", "synth", "--output", str(Path(args.out).parent)], check=True, env=env)


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
        print(f"provider {provider.name} {provider.version}: modules {fetched - started:.0f}s, "
              f"compile {time.monotonic() - fetched:.0f}s")


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
