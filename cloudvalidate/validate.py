"""One stack's validation: its work folder, `tofu init -backend=false` from the mirror, `tofu validate -json`."""
import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bootstrap.terraform import Provider
from upstreamcheck.releases import stack_document

OVERRIDE_FILE = "validate_override.tf.json"  # OpenTofu merges *_override.tf.json over the stack's own file


@dataclass
class Upgrade:
    """Errors on one resource type that a newer major's upgrade guide changes (upgrades.py), and its lines."""
    guide: list[str]
    errors: list[str] = field(default_factory=list)


@dataclass
class StackResult:
    stack: str
    providers: dict[str, str]  # name -> the version validated against
    asked: dict[str, str]  # name -> the version the synthesized stack asks for
    errors: list[str] = field(default_factory=list)
    upgrades: dict[str, dict[str, Upgrade]] = field(default_factory=dict)  # "<provider> <major>.0" -> type -> it
    warnings: list[str] = field(default_factory=list)
    init_s: float = 0.0
    validate_s: float = 0.0

    @property
    def valid(self) -> bool:
        return not self.errors


def required_providers(stack_folder: Path) -> dict[str, dict]:
    return stack_document(stack_folder).get("terraform", {}).get("required_providers", {})


def work_folder(stack_folder: Path, work: Path, providers: dict[str, Provider], required: dict) -> Path:
    """A copy of the synthesized stack asking for the versions the mirror has of each provider it requires
    (`required`: its required_providers). Raises KeyError naming one the mirror lacks."""
    folder = work / stack_folder.name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(stack_folder, folder, ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl"))
    required = {name: {"source": f"hashicorp/{name}", "version": providers[name].version}
                for name in required}
    (folder / OVERRIDE_FILE).write_text(json.dumps({"terraform": {"required_providers": required}}, indent=2))
    return folder


def diagnostic_text(diagnostic: dict) -> str:
    """`summary: detail (file:line, address)` of one diagnostic of `tofu validate -json`."""
    where = diagnostic.get("range") or {}
    place = f"{where.get('filename')}:{where.get('start', {}).get('line')}" if where else ""
    snippet = (diagnostic.get("snippet") or {}).get("context") or ""
    location = ", ".join(part for part in (place, snippet) if part)
    detail = " ".join((diagnostic.get("detail") or "").split())
    return f"{diagnostic.get('summary', '?')}{': ' + detail if detail else ''}{f' ({location})' if location else ''}"


def validate(tofu: str, stack_folder: Path, work: Path, providers: dict[str, Provider], env: dict) -> StackResult:
    required = required_providers(stack_folder)
    folder = work_folder(stack_folder, work, providers, required)
    result = StackResult(stack_folder.name, {name: providers[name].version for name in required},
                         {name: spec.get("version") for name, spec in required.items()})
    started = time.monotonic()
    init = subprocess.run([tofu, "init", "-backend=false", "-input=false", "-no-color"], cwd=folder, env=env,
                          capture_output=True, text=True)
    result.init_s = time.monotonic() - started
    if init.returncode != 0:
        result.errors.append(f"tofu init failed: {(init.stderr or init.stdout).strip()[-2000:]}")
        return result
    started = time.monotonic()
    checked = subprocess.run([tofu, "validate", "-json", "-no-color"], cwd=folder, env=env, capture_output=True,
                             text=True)
    result.validate_s = time.monotonic() - started
    try:
        verdict = json.loads(checked.stdout)
    except json.JSONDecodeError:
        result.errors.append(f"tofu validate printed no verdict (exit {checked.returncode}): "
                             f"{(checked.stderr or checked.stdout).strip()[-2000:]}")
        return result
    for diagnostic in verdict.get("diagnostics", []):
        (result.errors if diagnostic.get("severity") == "error" else result.warnings).append(
            diagnostic_text(diagnostic))
    if not verdict.get("valid") and not result.errors:
        result.errors.append("tofu validate said invalid without an error diagnostic")
    return result
