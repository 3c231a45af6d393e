"""One stack's first apply on the emulator: its work folder, `tofu init` (the backend included), `tofu apply`
leaving out the gaps, and what it created, what it left out and every error."""

from dataclasses import dataclass, field
from pathlib import Path

from bootstrap.terraform import Provider
from bootstrap.tofu import Messages, Tofu, TofuFailed, diagnostic_text

from ..providers import work_folder
from ..synthesized import required_providers, stack_document
from . import override
from .gaps import LeftOut, SwitchedOff, left_out, not_evaluated, switched_off

EXCLUDES_FILE = "emulate.excludes"
APPLY_TIMEOUT_S = 1800


@dataclass
class Applied:
    stack: str
    left_out: list[LeftOut]
    switched_off: list[SwitchedOff] = field(default_factory=list)
    not_evaluated: dict[str, tuple[int, str]] = field(default_factory=dict)
    created: int = 0
    planned: int = 0
    in_state: int = 0
    errors: list[str] = field(default_factory=list)
    init_s: float = 0.0
    apply_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors and self.created == self.planned


def read_apply(messages: Messages, result: Applied) -> None:
    """What `tofu apply -json` said, as the result counts it: the plan's adds, each create completed, each error."""
    result.planned, result.created = messages.planned, messages.created
    result.errors += [diagnostic_text(diagnostic) for diagnostic in messages.diagnostics]


def apply(
    tofu: str,
    stack_folder: Path,
    work: Path,
    providers: dict[str, Provider],
    env: dict,
    endpoint: str,
    keys: tuple[str, str],
) -> Applied:
    synthesized = stack_document(stack_folder)
    result = Applied(stack_folder.name, left_out(synthesized), switched_off(synthesized), not_evaluated(synthesized))
    folder = work_folder(stack_folder, work, providers, required_providers(stack_folder))
    override.write(folder, synthesized, endpoint, keys)
    (folder / EXCLUDES_FILE).write_text("".join(f"{gap.address}\n" for gap in result.left_out))
    runner = Tofu(tofu, folder, env)
    try:
        runner.init()
    except TofuFailed as failed:
        result.errors.append("tofu init failed: " + "\n".join(failed.errors))
        return result
    finally:
        result.init_s = runner.seconds.get("init", 0.0)
    try:  # init's output is text: what the messages count and every error diagnostic are apply's
        runner.apply(excludes_file=EXCLUDES_FILE if result.left_out else "", timeout=APPLY_TIMEOUT_S)
    except TofuFailed as failed:
        if failed.timed_out:
            result.errors.append(f"tofu apply did not end within {APPLY_TIMEOUT_S} s")
        read_apply(runner.messages, result)
        if failed.timed_out:
            return result
        if not result.errors:
            result.errors.append(f"tofu apply exited {failed.finished.code}: " + "\n".join(failed.errors))
    else:
        read_apply(runner.messages, result)
    result.apply_s = runner.seconds.get("apply", 0.0)
    result.in_state = len(runner.state_list())
    return result
