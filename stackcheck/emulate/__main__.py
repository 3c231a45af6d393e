"""`python -m stackcheck.emulate`: what `make emulate-aws` runs (see the package's docstring)."""

import shutil
import sys
import tempfile
from pathlib import Path

from ..arguments import names, stack_arguments, synth_if_asked
from ..providers import providers_of, tofu_environment, tofu_or_exit
from ..synthesized import stack_document, stack_documents
from .apply import Applied, apply
from .gaps import services
from .order import RUNNER_PREFIX, aws_stacks
from .override import ENVIRONMENT_ACCOUNTS, STATE_ACCOUNT, STATE_KEYS
from .server import EmulatorMissing, account_keys, moto_server

TARGET = "emulate-aws"
LOG = Path("artifacts/emulate-aws/moto.log")  # kept after the run: what the emulator was asked, and its errors


def report(result: Applied) -> None:
    verdict = "applied" if result.ok else f"FAILED, {len(result.errors)} error(s)"
    reasons = {}
    for gap in result.left_out:
        reasons.setdefault(gap.reason, []).append(gap.address.rsplit(".", 1)[0])
    print(
        f"{result.stack}: {verdict}: created {result.created} of {result.planned} planned, {result.in_state} "
        f"in its state; init {result.init_s:.1f}s, apply {result.apply_s:.0f}s; left out {len(result.left_out)}:"
    )
    for reason, kinds in reasons.items():
        counted = ", ".join(f"{kinds.count(kind)} {kind}" for kind in sorted(set(kinds)))
        print(f"  - {counted}: {reason}")
    for setting in result.switched_off:
        print(f"  - {setting.address}: {setting.setting} off in the emulated copy: {setting.reason}")
    for kind, (count, why) in result.not_evaluated.items():
        print(f"  - {count} {kind}: applied, not evaluated: {why}")
    for error in result.errors:
        print(f"  ERROR {error}")


def main(argv=None) -> int:
    parser = stack_arguments(
        "python -m stackcheck.emulate", __doc__, "AWS stacks to apply, comma-separated (default: every one)"
    )
    parser.add_argument("--moto", default=".venv-moto/bin/moto_server", help="the moto server (`make moto`)")
    args = parser.parse_args(argv)
    tofu = tofu_or_exit(TARGET)
    synth_if_asked(args, TARGET)
    found = stack_documents(Path(args.out))
    order, state = aws_stacks(found, names(args))
    stacks = {name: found[name] for name in order}
    providers = providers_of(stacks, TARGET)
    try:
        for folder in stacks.values():
            services(stack_document(folder))  # a service the emulation does not send to moto stops it here
    except LookupError as error:
        print(f"{TARGET}: {error}", file=sys.stderr)
        return 2
    env = tofu_environment(tofu, providers, TARGET)
    work = Path(tempfile.mkdtemp(prefix="emulate-aws-"))
    results = []
    try:
        LOG.parent.mkdir(parents=True, exist_ok=True)
        with moto_server(Path(args.moto), LOG) as endpoint:
            print(f"{TARGET}: moto at {endpoint}; applying {', '.join(order)} in that order")
            for index, name in enumerate(order):
                # One account per environment (stacks/ci_access/aws.py assumes it); the state and the deploy
                # runner in the default one (the tooling account).
                tooling = name in state or name.startswith(RUNNER_PREFIX)
                account = STATE_ACCOUNT if tooling else str(ENVIRONMENT_ACCOUNTS + index)
                keys = STATE_KEYS if tooling else account_keys(endpoint, account)
                print(f"{name}: in emulated account {account}")
                results.append(apply(tofu, stacks[name], work, providers, env, endpoint, keys))
                report(results[-1])
                if not results[-1].ok and name in state:
                    break  # the stacks after it keep their state in what it makes
    except EmulatorMissing as error:
        print(f"{TARGET}: {error}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = [result.stack for result in results if not result.ok]
    print(
        f"{TARGET}: {len(results) - len(failed)} of {len(order)} stack(s) applied"
        + (f"; failed: {', '.join(failed)} (the emulator's log: {LOG})" if failed else "")
    )
    return 1 if failed or len(results) < len(order) else 0


if __name__ == "__main__":
    sys.exit(main())
