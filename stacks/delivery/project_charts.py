"""The project's service charts and the overlays of theirs an environment names. Plain Python (no cdktf), so the
chart tests layer values exactly as the releases do."""

import functools
from pathlib import Path

import yaml

from ..environments import ConfigError, Environment

CHARTS_DIR = Path(__file__).resolve().parents[2] / "charts"
# The platform's service charts, in the order they are listed; each is one release named after it.
PROJECT_CHARTS = ("platform", "deepgram", "tts", "vad")
# libyaml's loader where PyYAML has it: a synth reads the platform chart's long values.yaml several times over.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def chart_defaults(chart: str) -> dict:
    """charts/<chart>/values.yaml, parsed once per process and shared: read it, never change it."""
    return yaml.load((CHARTS_DIR / chart / "values.yaml").read_text(), Loader=_LOADER) or {}


def chart_values_files(environment: Environment, chart: str) -> list[Path]:
    """The overlays the environment names that the chart has, in order. A chart with nothing of its own for an
    overlay has no such file; a name no project chart has is a configuration error (a typo, a removed file)."""
    for name in environment.values_files:
        if not any((CHARTS_DIR / each / name).is_file() for each in PROJECT_CHARTS):
            raise ConfigError(
                f"{environment.name}.values_files",
                f"no project chart has {name}",
                "add the file to the charts it concerns or fix values_files in stacks/environments/catalog.py",
            )
    return [CHARTS_DIR / chart / name for name in environment.values_files if (CHARTS_DIR / chart / name).is_file()]
