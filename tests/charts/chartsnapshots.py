"""Golden files of the rendered charts (snapshots/<chart>/ci-full.yaml: one per chart, see chartkit.SNAPSHOT_SCENARIO).

`python tests/charts/chartsnapshots.py` (make chart-snapshots-update) rewrites them from the current charts and
deletes golden files of scenarios that no longer exist; review the diff and commit it with the change.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import chartkit


def orphans() -> list[Path]:
    wanted = {s.snapshot for s in chartkit.snapshot_scenarios()}
    return sorted(p for p in chartkit.SNAPSHOTS.glob("*/*.yaml") if p not in wanted)


def update() -> list[Path]:
    changed = []
    for scenario, manifest in chartkit.render_many(chartkit.snapshot_scenarios()).items():
        path = scenario.snapshot
        if not path.exists() or path.read_text() != manifest:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(manifest)
            changed.append(path)
    for path in orphans():
        path.unlink()
        changed.append(path)
    return changed


if __name__ == "__main__":
    for path in update():
        print(f"updated {path.relative_to(chartkit.ROOT)}")
