"""`python -m stackcheck.validate`: what `make validate-cloud` runs (see the package's docstring)."""

import functools
import shutil
import sys
import tempfile
from pathlib import Path

from bootstrap.errors import BootstrapError

from ..arguments import names, stack_arguments, synth_if_asked
from ..providers import PROVIDERS, providers_of, tofu_environment, tofu_or_exit
from ..synthesized import synthesized
from .stack import StackResult, validate
from .upgrades import Majors, majors_between, set_aside

TARGET, SYNTH_VARIABLE = "validate-cloud", "VALIDATE_SYNTH"


@functools.cache
def upgrade_guides(provider: str, asked: str, validated: str) -> Majors:
    """The upgrade guides between `asked` and `validated` from the provider's source; none (so its errors stay
    errors) when they cannot be read, saying why."""
    try:
        return majors_between(PROVIDERS[provider].source(), asked, validated)
    except (BootstrapError, FileNotFoundError) as missing:
        print(f"{TARGET}: {provider}'s upgrade guides not read, its errors all count: {missing}")
        return {}


def report(result: StackResult) -> None:
    asked = result.asked
    versions = ", ".join(
        f"{name} {version}" + (f" (the stack asks for {asked[name]})" if asked.get(name) not in (None, version) else "")
        for name, version in result.providers.items()
    )
    verdict = "valid" if result.valid else f"INVALID, {len(result.errors)} error(s)"
    upgrades = sum(len(upgrade.errors) for types in result.upgrades.values() for upgrade in types.values())
    print(
        f"{result.stack}: {verdict} against {versions}; init {result.init_s:.1f}s, validate "
        f"{result.validate_s:.1f}s, {len(result.warnings)} warning(s)"
        + (f", {upgrades} error(s) a newer major's upgrade guide explains (below)" if upgrades else "")
    )
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
    args = stack_arguments(
        "python -m stackcheck.validate", __doc__, "stacks to validate, comma-separated (default: every one)"
    ).parse_args(argv)
    tofu = tofu_or_exit(TARGET)
    synth_if_asked(args, TARGET)
    stacks = synthesized(Path(args.out), names(args), TARGET, SYNTH_VARIABLE)
    providers = providers_of(stacks, TARGET)
    env = tofu_environment(tofu, providers, TARGET)
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
    print(
        f"{TARGET}: {len(results) - len(invalid)} of {len(results)} stack(s) valid"
        + (f"; invalid: {', '.join(invalid)}" if invalid else "")
    )
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main())
