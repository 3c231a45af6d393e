"""Where every bench writes its figures: artifacts/bench/<name>.json, one file per bench."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def save_figures(name: str, figures: dict) -> Path:
    """Writes the figures and returns their path relative to the project, for the bench's last line."""
    out = ROOT / "artifacts" / "bench" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    return out.relative_to(ROOT)
