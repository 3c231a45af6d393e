"""OpenTofu on a synthesized stack, read through its machine-readable interfaces: `plan -detailed-exitcode` says
whether anything changes (0: nothing, 2: changes), and `-json` streams every message as a JSON object, so
progress, the verdict and each error's summary and detail come as fields, not as console text to pattern-match.
"""
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

PLAN_FILE = "tfplan"
NO_CHANGES, CHANGES = 0, 2  # `plan -detailed-exitcode`
# What `echo` shows: each resource's progress and the verdicts.
ECHOED = {"apply_start", "apply_progress", "apply_complete", "apply_errored", "change_summary"}


class TofuFailed(RuntimeError):
    def __init__(self, step: str, errors: list[str]):
        self.step, self.errors = step, errors
        super().__init__(f"`tofu {step}` failed:\n" + "\n".join(errors))


@dataclass
class Messages:
    """What a run of OpenTofu said: its human-readable messages (the log) and its errors."""
    log: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def read(self, line: str, echo: bool) -> None:
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            message = {"@message": line.rstrip(), "type": "text"}  # init and crash output are not JSON
        if not isinstance(message, dict) or not message.get("@message"):
            return
        self.log.append(message["@message"])
        diagnostic = message.get("diagnostic") or {}
        if message.get("@level") == "error":
            self.errors.append(": ".join(p for p in (diagnostic.get("summary"), diagnostic.get("detail")) if p)
                               or message["@message"])
        if echo and (message.get("type") in ECHOED or message.get("@level") == "error"):
            print(message["@message"], file=sys.stderr, flush=True)


def tofu(binary: str, step: str, args: list[str], *, cwd: Path, env: dict, messages: Messages,
         echo: bool = False, ok: tuple[int, ...] = (0,)) -> int:
    """Runs `tofu <args>` in the stack's folder, reading its output into `messages`; returns the exit code."""
    with subprocess.Popen([binary, *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        for line in process.stdout:
            messages.read(line, echo)
    if process.returncode not in ok:
        raise TofuFailed(step, messages.errors or messages.log[-40:])
    return process.returncode


def converge(binary: str, stack: Path, env: dict, messages: Messages, *, destroy: bool = False,
             echo: bool = False) -> bool:
    """init, plan (to destroy, with `destroy`), and apply the plan only when it changes something; what OpenTofu
    says goes to `messages`. Returns whether anything changed."""
    tofu(binary, "init", ["init", "-input=false", "-no-color"], cwd=stack, env=env, messages=messages)
    plan = ["plan", "-input=false", "-json", "-detailed-exitcode", f"-out={PLAN_FILE}",
            *(["-destroy"] if destroy else [])]
    code = tofu(binary, "plan", plan, cwd=stack, env=env, messages=messages, echo=echo, ok=(NO_CHANGES, CHANGES))
    if code == CHANGES:
        tofu(binary, "apply", ["apply", "-input=false", "-json", PLAN_FILE], cwd=stack, env=env, messages=messages,
             echo=echo)
    return code == CHANGES
