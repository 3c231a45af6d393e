"""Copies what the library chart owns into every service chart, and tells whether the copies drifted.

The library chart holds two things each chart needs verbatim, because Helm only reads a chart's own files:
- `schema/shared-values.yaml`: the documented `global` and `defaults` blocks of every chart's values.yaml,
  between the markers below;
- `schema/definitions.json`: the `definitions` of every chart's values.schema.json.

`python tests/charts/chartsync.py` (make chart-sync) writes the copies; `--check` only reports drift.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

CHARTS_DIR = Path(__file__).resolve().parents[2] / "charts"
LIBRARY = CHARTS_DIR / "voiceplat-lib"
SHARED_VALUES = LIBRARY / "schema" / "shared-values.yaml"
SHARED_DEFINITIONS = LIBRARY / "schema" / "definitions.json"
BEGIN_MARKER = "# " + "-" * 99 + "\n# global and defaults: shared"
END_MARKER = "# --- end of the shared block ---\n"


# The platform's service charts: values made of the shared block plus `services`. (charts/locust uses a
# few of the library's templates but has values of its own.)
SERVICE_CHARTS = ("platform", "deepgram", "tts", "vad")


def service_charts() -> list[Path]:
    return [CHARTS_DIR / name for name in SERVICE_CHARTS]


def synced_values(text: str, chart: Path) -> str:
    """values.yaml text with the shared block replaced by the library's current one."""
    start = text.find(BEGIN_MARKER)
    end = text.find(END_MARKER)
    if start < 0 or end < start:
        raise SystemExit(
            f"{chart.name}/values.yaml has no shared block: paste {SHARED_VALUES.relative_to(CHARTS_DIR.parent)} "
            "into it once, then run make chart-sync"
        )
    return text[:start] + SHARED_VALUES.read_text() + text[end + len(END_MARKER) :]


GENERATED_NOTE = (
    "`definitions` is generated from charts/voiceplat-lib/schema/definitions.json by `make chart-sync` "
    "(Helm reads no schema outside the chart); edit it there, a chart test fails on drift."
)


def synced_schema(text: str) -> str:
    """values.schema.json text with `definitions` replaced by the library's, and a note that says so."""
    schema = json.loads(text)
    schema = {key: schema[key] for key in ("$schema", "title") if key in schema} | {"$comment": GENERATED_NOTE} | schema
    schema["$comment"] = GENERATED_NOTE
    schema["definitions"] = json.loads(SHARED_DEFINITIONS.read_text())
    return json.dumps(schema, indent=2) + "\n"


def drifted(write: bool) -> list[str]:
    """Files whose shared part differs from the library's; rewritten when `write`."""
    stale = []
    for chart in service_charts():
        for name, sync in (
            ("values.yaml", lambda t, c=chart: synced_values(t, c)),
            ("values.schema.json", synced_schema),
        ):
            path = chart / name
            current = path.read_text()
            wanted = sync(current)
            if wanted != current:
                stale.append(str(path.relative_to(CHARTS_DIR.parent)))
                if write:
                    path.write_text(wanted)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report drift, change nothing")
    args = parser.parse_args(argv)
    stale = drifted(write=not args.check)
    if args.check and stale:
        print("out of step with charts/voiceplat-lib/schema: " + ", ".join(stale) + " (run make chart-sync)")
        return 1
    for path in stale:
        print(f"synced {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
