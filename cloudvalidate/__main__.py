"""`python -m cloudvalidate`: what `make validate-cloud` runs (see the package's docstring)."""
import argparse
import functools
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bootstrap.errors import BootstrapError
from bootstrap.terraform import AWS, AZURERM, HELM, Provider, cli_config, deploy_env, provider_mirror
from contract.tools import ToolMissing, tool
from upstreamcheck.releases import stack_documents

from .upgrades import Majors, majors_between, set_aside
from .validate import StackResult, required_providers, validate

PROVIDERS = {provider.name: provider for provider in (AWS, AZURERM, HELM)}
MIRROR, CLI_CONFIG = "terraform-providers-validate", "tofu-validate.rc"  # beside the deploy's, never instead of it


def synthesized(out: Path, names: list[str]) -> dict[str, Path]:
    found = stack_documents(out)
    if missing := [name for name in names if name not in found]:
        raise SystemExit(f"validate-cloud: {', '.join(missing)} not synthesized in {out} (it has: "
                         f"{', '.join(found) or 'nothing'}). Fix: `make synth`, or run with VALIDATE_SYNTH=1")
    return {name: folder for name, folder in found.items() if not names or name in names}


def providers_of(stacks: dict[str, Path]) -> dict[str, Provider]:
    names = {name for folder in stacks.values() for name in required_providers(folder)}
    if unknown := sorted(names - set(PROVIDERS)):
        raise SystemExit(f"validate-cloud: no recipe builds provider(s) {', '.join(unknown)}. Fix: pin them in "
                         "contract/pins.py and add them to bootstrap/gotools.py and bootstrap/terraform.py")
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
        print(f"provider {provider.name} {provider.version}: modules {fetched - started:.0f}s, "
              f"compile {time.monotonic() - fetched:.0f}s")


@functools.cache
def upgrade_guides(provider: str, asked: str, validated: str) -> Majors:
    """The upgrade guides between `asked` and `validated` from the provider's source; none (so its errors stay
    errors) when they cannot be read, saying why."""
    try:
        return majors_between(PROVIDERS[provider].source(), asked, validated)
    except (BootstrapError, FileNotFoundError) as missing:
        print(f"validate-cloud: {provider}'s upgrade guides not read, its errors all count: {missing}")
        return {}


def report(result: StackResult) -> None:
    asked = result.asked
    versions = ", ".join(f"{name} {version}" + (f" (the stack asks for {asked[name]})"
                                                 if asked.get(name) not in (None, version) else "")
                         for name, version in result.providers.items())
    verdict = "valid" if result.valid else f"INVALID, {len(result.errors)} error(s)"
    upgrades = sum(len(upgrade.errors) for types in result.upgrades.values() for upgrade in types.values())
    print(f"{result.stack}: {verdict} against {versions}; init {result.init_s:.1f}s, validate "
          f"{result.validate_s:.1f}s, {len(result.warnings)} warning(s)"
          + (f", {upgrades} error(s) a newer major's upgrade guide explains (below)" if upgrades else ""))
    for error in result.errors:
        print(f"  ERROR {error}")
    for step, types in result.upgrades.items():
        print(f"  {step} upgrade (resources its guide changes; as pinned the stack keeps the old form):")
        for kind, upgrade in types.items():
            print(f"    {kind}, the guide: {' '.join(upgrade.guide)}")
            for error in upgrade.errors:
                print(f"      {error}")
    for warning in sorted(set(result.warnings)):
        print(f"  warning {warning}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cloudvalidate", description=__doc__)
    parser.add_argument("--stacks", default="", help="stacks to validate, comma-separated (default: every one)")
    parser.add_argument("--out", default="cdktf.out/stacks", help="synthesized stacks (cdktf.out/stacks)")
    parser.add_argument("--synth", action="store_true", help="run `cdktf synth` of the stacks first")
    args = parser.parse_args(argv)
    names = [name for name in args.stacks.split(",") if name]
    try:
        tofu = tool("tofu")
    except ToolMissing as missing:
        print(f"validate-cloud: {missing}", file=sys.stderr)
        return 2
    if args.synth:
        env = {**os.environ, **({"VOICEPLAT_STACKS": ",".join(names)} if names else {})}
        subprocess.run(["cdktf", "synth", "--output", str(Path(args.out).parent)], check=True, env=env)
    stacks = synthesized(Path(args.out), names)
    providers = providers_of(stacks)
    try:
        build(providers)
    except BootstrapError as error:
        print(f"validate-cloud: {error}", file=sys.stderr)
        return 2
    chosen = tuple(providers.values())
    env = deploy_env(tofu, str(cli_config(provider_mirror(chosen, MIRROR), chosen, CLI_CONFIG)))
    work = Path(tempfile.mkdtemp(prefix="validate-cloud-"))
    results = []
    try:
        for folder in stacks.values():
            results.append(validate(tofu, folder, work, providers, env))
            set_aside(results[-1], upgrade_guides)
            report(results[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    invalid = [result.stack for result in results if not result.valid]
    print(f"validate-cloud: {len(results) - len(invalid)} of {len(results)} stack(s) valid"
          + (f"; invalid: {', '.join(invalid)}" if invalid else ""))
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
