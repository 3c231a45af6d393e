"""The synthesized stacks: each one's folder under cdktf.out/stacks and its cdk.tf.json, read."""

import json
from pathlib import Path


def stack_documents(stacks_dir: Path, names=None) -> dict[str, Path]:
    """stack name -> its folder under cdktf.out/stacks (the ones named, else every one)."""
    found = {path.parent.name: path.parent for path in sorted(stacks_dir.glob("*/cdk.tf.json"))}
    return {name: folder for name, folder in found.items() if not names or name in names}


def stack_document(folder: Path) -> dict:
    """The synthesized stack's cdk.tf.json, read."""
    return json.loads((folder / "cdk.tf.json").read_text())


def required_providers(stack_folder: Path) -> dict[str, dict]:
    """The providers the synthesized stack asks for: name -> {source, version}."""
    return stack_document(stack_folder).get("terraform", {}).get("required_providers", {})


def synthesized(out: Path, names: list[str], target: str, synth_variable: str) -> dict[str, Path]:
    """The stacks named (every one when none is) in `out`. Raises SystemExit naming a stack that is not there,
    what is, and the fix (`make synth`, or `synth_variable`=1 for `target`)."""
    found = stack_documents(out)
    if missing := [name for name in names if name not in found]:
        raise SystemExit(
            f"{target}: {', '.join(missing)} not synthesized in {out} (it has: "
            f"{', '.join(found) or 'nothing'}). Fix: `make synth`, or run with {synth_variable}=1"
        )
    return {name: folder for name, folder in found.items() if not names or name in names}
