"""The arguments every check of the synthesized stacks takes (which stacks, where they are, synthesize first),
and the synth they ask for."""

import argparse
import os
import sys
from pathlib import Path

from bootstrap.errors import BootstrapError
from bootstrap.progress import run
from contract import settings, tools


def stack_arguments(prog: str, description: str, stacks_help: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--stacks", default="", help=stacks_help)
    parser.add_argument("--out", default="cdktf.out/stacks", help="synthesized stacks (cdktf.out/stacks)")
    parser.add_argument("--synth", action="store_true", help="run `cdktf synth` of the stacks first")
    return parser


def names(args: argparse.Namespace) -> list[str]:
    return [name for name in args.stacks.split(",") if name]


def synth_if_asked(args: argparse.Namespace, target: str) -> None:
    """`cdktf synth` of the stacks named (every one when none is) into the parent of `--out`, with `--synth`. A
    failed synth, or no cdktf, is said naming `target`, and exits 2."""
    if not args.synth:
        return
    env = {**os.environ, **({settings.STACKS.name: ",".join(names(args))} if names(args) else {})}
    try:
        run(
            [tools.cdktf(), "synth", "--output", str(Path(args.out).parent)],
            step_name="cdktf synth",
            env=env,
            fix="the lines above name the stack and the error; `make synth` shows the same",
        )
    except (BootstrapError, tools.ToolMissing) as error:
        print(f"{target}: {error}", file=sys.stderr)
        raise SystemExit(2) from error
