"""OpenTofu on a stack's folder, the one runner every caller uses (the local deploy, `make validate-cloud`,
`make emulate-aws`), read through its machine-readable interfaces: `plan -detailed-exitcode` says whether
anything changes (0: nothing, 2: changes), and `-json` streams every message as a JSON object, so progress, the
verdict and each error's summary and detail come as fields, not as console text to pattern-match.

    tofu = Tofu(binary, folder, env, echo=True)   # runs through bootstrap/progress.py: heartbeat, output's tail
    tofu.init()  /  tofu.init(backend=False)
    tofu.converge(destroy=False) -> changed       # init, plan, apply the plan only when it changes something
    tofu.apply(excludes_file=..., timeout=...)    # apply without a saved plan (-auto-approve)
    tofu.validate() -> verdict                    # `validate -json`'s document
    tofu.messages: log, errors, error diagnostics, the plan's adds, the creates completed
"""

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .progress import Finished, execute

PLAN_FILE = "tfplan"
NO_CHANGES, CHANGES = 0, 2  # `plan -detailed-exitcode`
# What `echo` shows: each resource's progress and the verdicts.
ECHOED = {"apply_start", "apply_progress", "apply_complete", "apply_errored", "change_summary"}
TAIL_LINES = 40  # of its output, in an error message when OpenTofu named no error itself


class TofuFailed(RuntimeError):
    """A step of OpenTofu failed: `step` (init, plan, ...), its errors (else its output's last lines), how it
    ended (`finished`)."""

    def __init__(self, step: str, errors: list[str], finished: Finished | None = None):
        self.step, self.errors, self.finished = step, errors, finished
        self.timed_out = bool(finished and finished.timed_out)
        ended = f"did not end within {finished.seconds:.0f} s" if self.timed_out else "failed"
        super().__init__(f"`tofu {step}` {ended}:\n" + "\n".join(errors))


def diagnostic_text(diagnostic: dict, *, one_line: bool = True) -> str:
    """One diagnostic of OpenTofu's JSON output for a person. `one_line` (a report's line): `summary: detail
    (file:line, address)` with the detail's white space folded; else `summary: detail` as OpenTofu wrote it."""
    detail = diagnostic.get("detail") or ""
    if not one_line:
        return ": ".join(part for part in (diagnostic.get("summary"), detail) if part)
    where = diagnostic.get("range") or {}
    place = f"{where.get('filename')}:{where.get('start', {}).get('line')}" if where else ""
    snippet = (diagnostic.get("snippet") or {}).get("context") or ""
    location = ", ".join(part for part in (place, snippet) if part)
    detail = " ".join(detail.split())
    return f"{diagnostic.get('summary', '?')}{': ' + detail if detail else ''}{f' ({location})' if location else ''}"


@dataclass
class Messages:
    """What runs of OpenTofu said: their human-readable messages (the log), their errors, the error diagnostics
    whole, and the counts a first apply is judged by. With `echo`, each resource's progress and every error go to
    stderr as they come."""

    echo: bool = False
    log: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # every error-level message: a diagnostic's summary and detail
    diagnostics: list[dict] = field(default_factory=list)  # the error diagnostics (where they point included)
    planned: int = 0  # resources the plan adds
    created: int = 0  # creates completed

    def read(self, line: str) -> str | None:
        """Reads one line of OpenTofu's output; returns its message for a person (None when it has none)."""
        try:
            message = json.loads(line)
        except json.JSONDecodeError:
            message = {"@message": line.rstrip(), "type": "text"}  # init and crash output are not JSON
        if not isinstance(message, dict):
            return None
        kind, diagnostic = message.get("type"), message.get("diagnostic") or {}
        if kind == "change_summary" and message["changes"].get("operation") == "plan":
            self.planned = message["changes"].get("add", 0)
        elif kind == "apply_complete" and message["hook"].get("action") == "create":
            self.created += 1
        if diagnostic.get("severity") == "error":
            self.diagnostics.append(diagnostic)
        if not message.get("@message"):
            return None
        self.log.append(message["@message"])
        if message.get("@level") == "error":
            self.errors.append(diagnostic_text(diagnostic, one_line=False) or message["@message"])
        if self.echo and (kind in ECHOED or message.get("@level") == "error"):
            print(message["@message"], file=sys.stderr, flush=True)
        return message["@message"]


class Tofu:
    """`tofu` in one stack's folder with one environment (deploy_env's: the binary, the provider mirror)."""

    def __init__(self, binary: str, folder: Path, env: dict, messages: Messages | None = None, *, echo: bool = False):
        self.binary, self.folder, self.env = binary, folder, env
        self.messages = messages if messages is not None else Messages(echo=echo)
        self.seconds: dict[str, float] = {}  # step -> how long its last run took

    def run(
        self,
        step: str,
        args: list[str],
        *,
        ok: tuple[int, ...] | None = (0,),
        timeout: float | None = None,
        read: bool = True,
    ) -> Finished:
        """`tofu <args>`, its output read into `messages` (with `read`); raises TofuFailed unless it exits with
        one of `ok` (any code: None) within `timeout`, naming OpenTofu's errors, else its last messages."""
        errors_before, log_before = len(self.messages.errors), len(self.messages.log)
        finished = execute(
            [self.binary, *args],
            step_name=f"tofu {step} ({self.folder.name})",
            cwd=self.folder,
            env=self.env,
            merge=read,
            on_line=self.messages.read if read else None,
            timeout=timeout,
        )
        self.seconds[step] = finished.seconds
        if finished.timed_out or (ok is not None and finished.code not in ok):
            said = self.messages.errors[errors_before:] or self.messages.log[log_before:][-TAIL_LINES:]
            raise TofuFailed(step, said if read else finished.tail(TAIL_LINES).splitlines(), finished)
        return finished

    def init(self, *, backend: bool = True) -> None:
        self.run("init", ["init", "-input=false", "-no-color", *([] if backend else ["-backend=false"])])

    def plan(self, *, destroy: bool = False) -> bool:
        """Saves the plan (to destroy, with `destroy`) in PLAN_FILE; returns whether it changes anything."""
        args = [
            "plan",
            "-input=false",
            "-json",
            "-detailed-exitcode",
            f"-out={PLAN_FILE}",
            *(["-destroy"] if destroy else []),
        ]
        return self.run("plan", args, ok=(NO_CHANGES, CHANGES)).code == CHANGES

    def apply(self, *, plan: bool = False, excludes_file: str = "", timeout: float | None = None) -> None:
        """Applies the saved plan (`plan`), else plans and applies at once (-auto-approve), leaving out the
        addresses listed in `excludes_file`."""
        args = (
            [PLAN_FILE] if plan else ["-auto-approve", *([f"-exclude-file={excludes_file}"] if excludes_file else [])]
        )
        self.run("apply", ["apply", "-input=false", "-json", *args], timeout=timeout)

    def converge(self, *, destroy: bool = False) -> bool:
        """init, plan (to destroy, with `destroy`), and apply the plan only when it changes something. Returns
        whether anything changed."""
        self.init()
        changed = self.plan(destroy=destroy)
        if changed:
            self.apply(plan=True)
        return changed

    def destroy(self) -> bool:
        """Everything in the state destroyed (init, a destroy plan, its apply); returns whether there was any."""
        return self.converge(destroy=True)

    def validate(self) -> dict:
        """`tofu validate -json`'s verdict ({"valid", "diagnostics"}). Raises TofuFailed when it prints none."""
        finished = self.run("validate", ["validate", "-json", "-no-color"], ok=None, read=False)
        try:
            return json.loads(finished.stdout)
        except json.JSONDecodeError:
            raise TofuFailed(
                "validate", [f"printed no verdict (exit {finished.code}): {finished.tail(TAIL_LINES)}"], finished
            ) from None

    def state_list(self) -> list[str]:
        """The addresses in the state; none when it cannot be read."""
        try:
            return self.run("state list", ["state", "list"], read=False).stdout.split()
        except TofuFailed:
            return []
