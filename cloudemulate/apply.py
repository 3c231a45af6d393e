"""One stack's first apply on the emulator: its work folder, `tofu init` (the backend included), `tofu apply`
leaving out the gaps, and what it created, what it left out and every error."""
import json
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bootstrap.terraform import Provider
from cloudvalidate.validate import diagnostic_text, required_providers, work_folder
from upstreamcheck.releases import stack_document

from . import override
from .gaps import LeftOut, left_out

EXCLUDES_FILE = "emulate.excludes"
APPLY_TIMEOUT_S = 1800


@dataclass
class Applied:
    stack: str
    left_out: list[LeftOut]
    created: int = 0
    planned: int = 0
    in_state: int = 0
    errors: list[str] = field(default_factory=list)
    init_s: float = 0.0
    apply_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and self.created == self.planned


def read_apply(lines: str, result: Applied) -> None:
    """Counts from `tofu apply -json`'s messages: the plan's adds, each create completed, each error."""
    for line in lines.splitlines():
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            continue
        kind = message.get("type")
        if kind == "change_summary" and message["changes"].get("operation") == "plan":
            result.planned = message["changes"].get("add", 0)
        elif kind == "apply_complete" and message["hook"].get("action") == "create":
            result.created += 1
        elif kind == "diagnostic" and message["diagnostic"].get("severity") == "error":
            result.errors.append(diagnostic_text(message["diagnostic"]))


def apply(tofu: str, stack_folder: Path, work: Path, providers: dict[str, Provider], env: dict, endpoint: str,
          keys: tuple[str, str]) -> Applied:
    synthesized = stack_document(stack_folder)
    result = Applied(stack_folder.name, left_out(synthesized))
    folder = work_folder(stack_folder, work, providers, required_providers(stack_folder))
    override.write(folder, synthesized, endpoint, keys)
    (folder / EXCLUDES_FILE).write_text("".join(f"{gap.address}\n" for gap in result.left_out))
    started = time.monotonic()
    init = subprocess.run([tofu, "init", "-input=false", "-no-color"], cwd=folder, env=env, capture_output=True,
                          text=True)
    result.init_s = time.monotonic() - started
    if init.returncode != 0:
        result.errors.append(f"tofu init failed: {(init.stderr or init.stdout).strip()[-2000:]}")
        return result
    started = time.monotonic()
    excluded = [f"-exclude-file={EXCLUDES_FILE}"] if result.left_out else []
    try:
        applied = subprocess.run([tofu, "apply", "-auto-approve", "-input=false", "-json", *excluded], cwd=folder,
                                 env=env, capture_output=True, text=True, timeout=APPLY_TIMEOUT_S)
    except subprocess.TimeoutExpired as slow:
        result.errors.append(f"tofu apply did not end within {APPLY_TIMEOUT_S} s")
        read_apply(slow.stdout.decode() if isinstance(slow.stdout, bytes) else slow.stdout or "", result)
        return result
    result.apply_s = time.monotonic() - started
    read_apply(applied.stdout, result)
    if applied.returncode != 0 and not result.errors:
        result.errors.append(f"tofu apply exited {applied.returncode}: {applied.stderr.strip()[-2000:]}")
    listed = subprocess.run([tofu, "state", "list"], cwd=folder, env=env, capture_output=True, text=True)
    result.in_state = len(listed.stdout.split()) if listed.returncode == 0 else 0
    return result
