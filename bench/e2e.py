"""Figures of the e2e suite: the suite's wall time and phases, each claim's seconds, and the scale-out
seconds beside the floor the same run computed from its cluster (HPA sync period + metric resolution).

The figures are those the last suite run recorded in artifacts/e2e/timings.json (`make e2e` writes it); the first
lines say which run that was (when, which cluster, which markers, its outcome). With no record, this runs the
scale claims (`pytest e2e -m scale` on a fresh cluster, E2E_ARGS passed on) to make one.
Targets: whole suite <= 20 min warm (drills and the platform's infrastructure claims included); scale-out to
desired > min and to new pods Ready <= 2 x the floor.
Writes artifacts/bench/e2e.json.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from figures import save_figures  # bench/ is the script's own folder

ROOT = Path(__file__).resolve().parents[1]
RECORD = ROOT / "artifacts" / "e2e" / "timings.json"
SUITE_TARGET_S = 20 * 60  # the whole suite, every claim and drill included, warm, on 2 cores
FLOOR_FACTOR = 2


def record() -> dict:
    if not RECORD.is_file():
        print(f"bench-e2e: no suite run recorded in {RECORD.relative_to(ROOT)}: running the scale claims to make one")
        command = [
            sys.executable,
            "-m",
            "pytest",
            "e2e",
            "-c",
            "e2e/pytest.ini",
            "-m",
            "scale",
            *shlex.split(os.environ.get("E2E_ARGS", "")),
        ]
        subprocess.run(command, cwd=ROOT, check=False)
    if not RECORD.is_file():
        raise SystemExit(
            f"bench-e2e: still no {RECORD.relative_to(ROOT)}: the suite did not run a claim; "
            "run `make e2e` and read its output"
        )
    return json.loads(RECORD.read_text())


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    data = record()
    run = data["run"]
    whole = not run["markers"]
    kept = " (kept from an earlier run)" if run.get("cluster_existed_before") else ""
    print(
        f"bench-e2e: figures of the suite run {run['started_utc']} .. {run['finished_utc']} on cluster "
        f"{run['cluster']}{kept} (markers: {run['markers'] or 'all'}; exit {run['exit_status']}; "
        f"{run['outcomes']}), from {RECORD.relative_to(ROOT)}"
    )
    summary = {"run": run, "suite_seconds": data["suite_seconds"], "phases": data["phases"]}
    suite = f"bench-e2e: suite wall time {data['suite_seconds']:.0f} s"
    if whole:
        summary["suite_within_target"] = data["suite_seconds"] <= SUITE_TARGET_S
        within = verdict(summary["suite_within_target"])
        suite += f"; target <= {SUITE_TARGET_S} s ({SUITE_TARGET_S // 60} min): {within}"
    else:
        suite += f" (part of the suite: the {SUITE_TARGET_S // 60} min target applies to the whole suite)"
    print(suite)
    print("bench-e2e: phases " + ", ".join(f"{name} {s:.1f} s" for name, s in data["phases"].items()))
    for nodeid, claim in sorted(data["claims"].items(), key=lambda item: -item[1]["seconds"]):
        print(f"  {claim['seconds']:7.1f} s  {claim['outcome']:<8} {nodeid}")
    scale = data["figures"].get("scale_out")
    if scale:
        floor = scale["floor_s"]
        limit = FLOOR_FACTOR * floor
        print(
            f"bench-e2e: scale-out floor {floor:.0f} s = HPA sync period {scale['hpa_sync_period_s']:.0f} s + "
            f"metric resolution {scale['metric_resolution_s']:.0f} s (read from the cluster in that run); "
            f"target <= {FLOOR_FACTOR} x floor = {limit:.0f} s"
        )
        checks = {}
        for key, label in (
            ("seconds_to_desired_above_min", "load start -> desired > min"),
            ("seconds_to_new_pods_ready", "load start -> new pods Ready"),
        ):
            took = scale.get(key)
            checks[key] = took is not None and took <= limit
            shown = f"{took:.1f} s" if took is not None else f"not reached ({scale['failures'].get(key, '')})"
            print(f"  {label}: {shown} beside floor {floor:.0f} s; {verdict(checks[key])}")
        down = scale.get("seconds_back_to_min_after_load_stop")
        print(
            f"  load stop -> back to min: {f'{down:.1f} s' if down is not None else 'not reached'} "
            f"(deadline {scale['scale_down_deadline_s']:.0f} s = scale-down window + floor + metric resolution "
            f"+ slack); peak {scale['peak']}, load {scale['load']}"
        )
        summary["scale_out"] = {**scale, "target_s": limit, "within_target": checks}
    else:
        print(
            "bench-e2e: that run recorded no scale-out (its markers left the scale claims out); "
            "`make e2e` or `make e2e E2E_ARGS='-m scale'` records one"
        )
    summary |= monitoring_figures(data["figures"])
    summary |= backlog_figures(data["figures"])
    for name in ("scale_out", "custom_scale_out"):
        held = (data["figures"].get(name) or {}).get("sustained")
        if held:
            print(
                f"bench-e2e: {name} sustained load: {held['needed']} replicas needed, settled on {held['settled']} "
                f"{held['converged_after_s']} s into the hold, {held['changes_after_convergence']} changes after, "
                f"worst 10 s p95 after convergence {held['p95_ms_after_convergence']} ms"
            )
    drills = {
        name.removeprefix("drill_"): figures for name, figures in data["figures"].items() if name.startswith("drill_")
    }
    for name, d in drills.items():
        print(
            f"bench-e2e: drill {name}: {d['failed']}/{d['sent']} failed ({d['failed_ratio']:.3%}) "
            f"{d['failure_reasons'] or ''} {d.get('failures_by_request') or ''}; p95 {d['p95_at_rest_ms']} ms at "
            f"rest, {d['p95_during_ms']} ms during; "
            f"recovered in {d['recovery_s']} s"
        )
    if drills:
        summary["drills"] = drills
    summary |= durability_figures(data["figures"])
    out = save_figures("e2e", summary)
    print(f"bench-e2e: figures in {out}")
    return 0


ALERT_FACTOR = 1.5


def monitoring_figures(figures: dict) -> dict:
    """Monitoring figures: custom-metric scale-out beside its floor (scrape + adapter relist + HPA sync; target
    <= 2 x), fault -> alert delivered beside its floor (for + evaluation interval + group_wait; target <= 1.5 x)."""
    found = {}
    custom = figures.get("custom_scale_out")
    if custom:
        floor = custom["floor_s"]
        checks = {
            key: custom.get(key) is not None and custom[key] <= FLOOR_FACTOR * floor
            for key in ("seconds_to_desired_above_min", "seconds_to_new_pods_ready")
        }
        print(
            f"bench-e2e: custom-metric scale-out floor {floor:.0f} s = scrape {custom['scrape_interval_s']:.0f} s + "
            f"adapter relist {custom['adapter_relist_s']:.0f} s + HPA sync {custom['hpa_sync_period_s']:.0f} s; "
            f"desired > min {custom.get('seconds_to_desired_above_min')} s, new pods Ready "
            f"{custom.get('seconds_to_new_pods_ready')} s (target <= {FLOOR_FACTOR} x floor): "
            f"{', '.join(verdict(ok) for ok in checks.values())}"
        )
        found["custom_scale_out"] = {**custom, "within_target": checks}
    alert = figures.get("fault_to_alert")
    if alert:
        ok = alert["seconds"] <= ALERT_FACTOR * alert["floor_s"]
        print(
            f"bench-e2e: fault -> {alert['alert']} delivered {alert['seconds']:.0f} s beside floor "
            f"{alert['floor_s']:.0f} s (for + evaluation + group_wait; target <= {ALERT_FACTOR} x): {verdict(ok)}"
        )
        found["fault_to_alert"] = {**alert, "within_target": ok}
    return found


BACKLOGS = {
    "queue_scale_out": "text on RabbitMQ depth",
    "temporal_scale_out": "temporal-worker-go on task-queue backlog",
}


def backlog_figures(figures: dict) -> dict:
    """Backlog-driven scale-out (fixtures/backlog.py) beside its floor (source period + scrape + adapter relist + HPA
    sync; target <= 2 x), and the drain beside backlog / (replicas x per-pod rate) at the minimum and at the peak."""
    found = {}
    for name, what in BACKLOGS.items():
        run = figures.get(name)
        if not run:
            continue
        floor = run["floor_s"]
        checks = {
            key: run.get(key) is not None and run[key] <= FLOOR_FACTOR * floor
            for key in ("seconds_to_desired_above_min", "seconds_to_new_pods_ready")
        }
        checks["seconds_to_drained"] = run.get("seconds_to_drained") is not None and (
            run["seconds_to_drained"] <= run["drain_at_min_s"]
        )
        parts = " + ".join(
            f"{key.removesuffix('_s')} {value:.0f} s"
            for key, value in run.items()
            if key in ("recorded_every_s", "scrape_interval_s", "adapter_relist_s", "hpa_sync_period_s")
        )
        print(
            f"bench-e2e: {what}: floor {floor:.0f} s = {parts}; backlog {run['backlog']} -> desired > min "
            f"{run.get('seconds_to_desired_above_min')} s, new pods Ready {run.get('seconds_to_new_pods_ready')} s "
            f"(target <= {FLOOR_FACTOR} x floor); drained {run.get('seconds_to_drained')} s beside "
            f"{run['drain_at_min_s']:.0f} s at the minimum and {run['drain_at_peak_s']:.0f} s at the peak of "
            f"{run['peak_ready']}; done {run['done']} of {run['submitted']}; back to min "
            f"{run.get('seconds_back_to_min_after_drain')} s: {', '.join(verdict(ok) for ok in checks.values())}"
        )
        if run.get("publish_to_ack_p95_s") is not None:
            print(f"bench-e2e: {what}: job publish -> ack p95 {run['publish_to_ack_p95_s']:.2f} s")
        found[name] = {**run, "within_target": checks}
    latency = figures.get("workflow_latency")
    if latency:
        print(
            f"bench-e2e: workflow start -> completed through the API, {latency['workflows']} workflows: "
            f"p50 {latency['p50_s']:.2f} s, p95 {latency['p95_s']:.2f} s"
        )
        found["workflow_latency"] = latency
    join = figures.get("livekit_join")
    if join:
        print(
            f"bench-e2e: LiveKit room join, {join['participants']} participants: "
            f"p95 {join['join_p95_ms']:.0f} ms (each: {', '.join(f'{ms:.0f}' for ms in join['join_ms'])} ms)"
        )
        found["livekit_join"] = join
    return found


def durability_figures(figures: dict) -> dict:
    """The durability drill: per deleted pod, the seconds until its replacement was Ready and until the platform
    accepted work again, beside the bound; the workflows and jobs counted in and out."""
    durability = figures.get("durability")
    if not durability:
        return {}
    for pod, d in durability["deletions"].items():
        print(
            f"bench-e2e: durability: {pod} deleted with {d['workflows_in_flight']} workflows and "
            f"{d['jobs_in_flight']:.0f} jobs in flight: Ready after {d.get('ready_s')} s, its work done again after "
            f"{d.get('answering_s')} s (bound {d['bound_s']:.0f} s)"
        )
    print(
        f"bench-e2e: durability: workflows {durability['workflows_started']} started, "
        f"{durability['workflows_completed']} completed; jobs {durability['jobs_published']} confirmed, "
        f"{durability['jobs_acked']:.0f} acked; refused during the outages {durability['refused']}"
    )
    return {"durability": durability}


if __name__ == "__main__":
    sys.exit(main())
