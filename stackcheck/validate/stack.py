"""One stack's validation: its work folder, `tofu init -backend=false` from the mirror, `tofu validate -json`."""

from dataclasses import dataclass, field
from pathlib import Path

from bootstrap.terraform import Provider
from bootstrap.tofu import Tofu, TofuFailed, diagnostic_text

from ..providers import work_folder
from ..synthesized import required_providers


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


def validate(tofu: str, stack_folder: Path, work: Path, providers: dict[str, Provider], env: dict) -> StackResult:
    required = required_providers(stack_folder)
    folder = work_folder(stack_folder, work, providers, required)
    result = StackResult(
        stack_folder.name,
        {name: providers[name].version for name in required},
        {name: spec.get("version") for name, spec in required.items()},
    )
    runner = Tofu(tofu, folder, env)
    try:
        runner.init(backend=False)
        verdict = runner.validate()
    except TofuFailed as failed:
        result.errors.append(f"tofu {failed.step} failed: " + "\n".join(failed.errors))
        return result
    finally:
        result.init_s, result.validate_s = runner.seconds.get("init", 0.0), runner.seconds.get("validate", 0.0)
    for diagnostic in verdict.get("diagnostics", []):
        (result.errors if diagnostic.get("severity") == "error" else result.warnings).append(
            diagnostic_text(diagnostic)
        )
    if not verdict.get("valid") and not result.errors:
        result.errors.append("tofu validate said invalid without an error diagnostic")
    return result
