"""Run a load test headless and collect its reports: `make loadtest ENV=preview-eu SHAPE=ramp [WORKERS=N]`.

    python -m loadtests.run --env preview-eu --shape ramp            # one locust process, here
    python -m loadtests.run --env local --shape smoke --workers 4    # master + 4 workers in the cluster

Writes into artifacts/loadtest/<UTC time>/: report.html (locust's), stats_*.csv, summary.json (totals,
per-endpoint figures, SLO verdict), timeline.png (requests/s, latency percentiles, failures over
time) and locust.log. Exits with locust's exit code: 0, or 3 when an SLO was breached (see gate.py).
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bootstrap.progress import execute
from loadtests import targets
from loadtests.command import locust_command

REPO = Path(__file__).resolve().parent.parent
SHAPES_DIR = Path(__file__).parent / "shapes"
ARTIFACTS = REPO / "artifacts" / "loadtest"


def shape_file(shape: str) -> Path:
    path = SHAPES_DIR / f"{shape}.py"
    if shape.startswith("_") or shape == "stages" or not path.is_file():
        names = sorted(p.stem for p in SHAPES_DIR.glob("*.py") if p.stem not in ("stages", "__init__"))
        raise SystemExit(f"no load shape {shape!r}: pick one of {', '.join(names)} (loadtests/shapes/<name>.py)")
    return path


def run_command(
    target: targets.TargetEnvironment, shape: Path, out: Path, *, host: str | None, extra: list[str]
) -> list[str]:
    """The locust command line of a run here, with paths relative to the repository root (its working folder)."""
    files = [path.relative_to(REPO) for path in (*target.scenario_files(), shape)]
    return locust_command(locustfiles=files, target_env=target.name, host=host, reports=out, extra=extra)


def run_here(command: list[str], out: Path) -> int:
    """Run locust in the foreground, echoing its output and keeping a copy in locust.log (no heartbeat: locust
    prints its own statistics as it goes)."""
    with (out / "locust.log").open("w") as log:

        def echo(line: str) -> None:
            sys.stdout.write(line)
            log.write(line)

        return execute(command, step_name="locust", cwd=REPO, merge=True, on_line=echo, quiet=True).code


def finish(out: Path, code: int, title: str) -> int:
    """Plot the timeline and say where everything is."""
    from loadtests import plot

    history = out / "stats_stats_history.csv"
    try:
        plot.plot(history, out / "timeline.png", title=title)
    except (OSError, ValueError) as error:  # locust stopped before it measured anything: say so, keep its code
        print(f"no timeline.png: {error}")
    verdict = {0: "passed", 3: "FAILED: SLO breached (the lines above name each SLO and by how much)"}
    print(f"\nload test {verdict.get(code, f'FAILED: locust exited {code}')}; reports in {out}")
    for path in sorted(out.iterdir()):
        print(f"  {path.name}")
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--env", required=True, help=f"one of {', '.join(targets.known())}")
    parser.add_argument("--shape", default="smoke", help="loadtests/shapes/<name>.py")
    parser.add_argument(
        "--workers", type=int, default=0, help="0: one local process; N: master + N workers in the cluster"
    )
    parser.add_argument("--host", default=None, help="base URL for every user class (overrides the environment file)")
    parser.add_argument("--out", type=Path, default=None, help="report folder (default artifacts/loadtest/<UTC time>)")
    parser.add_argument("--kube-context", default=None, help="distributed mode: kubeconfig context (default: current)")
    parser.add_argument("--namespace", default="loadtest", help="distributed mode: namespace of the locust release")
    args, extra = parser.parse_known_args(argv)

    try:
        target = targets.load(args.env)
    except targets.TargetError as error:
        raise SystemExit(str(error)) from None
    shape = shape_file(args.shape)
    out = (args.out or ARTIFACTS / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")).resolve()
    out.mkdir(parents=True, exist_ok=True)
    title = f"{target.name} / {args.shape}"
    if args.workers > 0:
        from bootstrap.errors import BootstrapError
        from contract.tools import ToolMissing
        from loadtests import cluster

        try:
            code = cluster.run(
                target,
                shape,
                out,
                workers=args.workers,
                host=args.host,
                extra=extra,
                kube_context=args.kube_context,
                namespace=args.namespace,
            )
        # no kubeconfig, no such context, the API refused the namespace, kind or helm not built: say so
        except (BootstrapError, ToolMissing) as error:
            raise SystemExit(f"error: {error}") from None
    else:
        code = run_here(run_command(target, shape, out, host=args.host, extra=extra), out)
    return finish(out, code, title)


if __name__ == "__main__":
    sys.exit(main())
