"""`python -m cloudvalidate`: what `make validate-cloud` runs (see the package's docstring)."""
import functools
import shutil
import sys
import tempfile
from pathlib import Path

from bootstrap.errors import BootstrapError
from bootstrap.terraform import AWS, AZURERM, HELM, Provider
from upstreamcheck.releases import stack_documents

from .runner import names, stack_arguments, synth_if_asked, tofu_environment, tofu_or_exit
from .upgrades import Majors, majors_between, set_aside
from .validate import StackResult, required_providers, validate

PROVIDERS = {provider.name: provider for provider in (AWS, AZURERM, HELM)}


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
    args = stack_arguments("python -m cloudvalidate", __doc__,
                           "stacks to validate, comma-separated (default: every one)").parse_args(argv)
    tofu = tofu_or_exit("validate-cloud")
    synth_if_asked(args)
    stacks = synthesized(Path(args.out), names(args))
    providers = providers_of(stacks)
    env = tofu_environment(tofu, providers, "validate-cloud")
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
