"""`make stack-deploy`'s apply: one synthesized cloud stack planned, and applied only when its plan changes
something (the deliver workflow runs it for every delivery mode, behind the environment's approval).

    python3 -m bootstrap.converge cdktf.out/stacks/prod-eu

Providers come from the registry and credentials from the environment (OIDC in CI), as `cdktf deploy` would use
them; the plan is saved and that very plan applied, so what was planned is what changes. Prints the verdict to
stdout and, in GitHub Actions, to the job summary.
"""

import argparse
import os
import sys
from pathlib import Path

from contract.tools import tool

from .tofu import Tofu, TofuFailed


def summary(line: str) -> None:
    print(line)
    if path := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(path, "a") as out:
            out.write(line + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python3 -m bootstrap.converge", description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the synthesized stack's folder, cdktf.out/stacks/<name>")
    folder = parser.parse_args(argv).folder
    if not (folder / "cdk.tf.json").is_file():
        print(
            f"stack-deploy: {folder} holds no synthesized stack. Fix: `make synth STACKS={folder.name}` first",
            file=sys.stderr,
        )
        return 2
    tofu = Tofu(tool("tofu"), folder, dict(os.environ), echo=True)
    try:
        changed = tofu.converge()
    except TofuFailed as failed:
        print(f"stack-deploy {folder.name}: {failed}", file=sys.stderr)
        return 1
    summary(f"{folder.name}: {'plan applied' if changed else 'no changes: nothing applied'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
