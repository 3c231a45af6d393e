"""Which environments a workflow job covers, as the JSON a `strategy.matrix` reads (`fromJSON`).

    python3 -m pipelines.matrix affected <base-ref>   # cloud environments a pull request's changes can alter
    python3 -m pipelines.matrix production            # environments the release workflow promotes
    python3 -m pipelines.matrix named preview-eu      # those environments, by name (the release's preview)

Each entry carries what the job needs without a lookup of its own: the stack name, cloud, region, delivery
mode, `suffix`, the name in upper case with underscores, which picks the repository-level variables and
secrets of that environment (AWS_PLAN_ROLE_ARN_PROD_EU), since GitHub's names allow no dash, and `runs_on`: for an
environment whose API only its region's deploy runner reaches, that runner's labels (region label included, so a
region is planned and deployed from its own runner and never from another region's); else null, and the job runs
on the DEPLOY_RUNNER variable's runner.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable

from stacks.environments import ENVIRONMENTS, Cloud, Environment, ManagedCluster, get
from stacks.environments.catalog import runner_of

# Changes under these alter every cloud stack's synthesized configuration.
WHOLE_STACK_PATHS = ("stacks/", "contract/", "main.py", "cdktf.json", "pyproject.toml", "package-lock.json")
PRODUCTION_TIER = "prod"  # the `tier` tag catalog.py gives production environments


def entry(env: Environment) -> dict:
    return {
        "name": env.name,
        "cloud": env.cloud.value,
        "region": env.region,
        "delivery": env.delivery.value,
        "suffix": env.name.upper().replace("-", "_"),
        "runs_on": runner_labels(env),
    }


def runner_labels(env: Environment) -> list[str] | None:
    """The labels of the deploy runner the environment's stack peers with, if it has a private API."""
    if not isinstance(env.cluster, ManagedCluster) or not env.cluster.deploy_runner_cidrs:
        return None
    runner = runner_of(env)
    return [*runner.labels, runner.region_label]


def cloud_environments() -> list[Environment]:
    return [env for env in ENVIRONMENTS.values() if env.cloud is not Cloud.LOCAL]


def touches(env: Environment, path: str) -> bool:
    """Whether a changed file can alter the environment's `cdktf diff`: stack code, or a chart file its releases
    read (a values overlay only counts for the environments that list it)."""
    if path.startswith(WHOLE_STACK_PATHS):
        return True
    parts = path.split("/")
    if parts[0] != "charts" or len(parts) < 3:
        return False
    within_chart = "/".join(parts[2:])
    if within_chart.startswith("values/"):
        return within_chart in env.values_files
    return True


def affected(changed: Iterable[str]) -> list[dict]:
    changed = list(changed)
    return [entry(env) for env in cloud_environments() if any(touches(env, path) for path in changed)]


def production() -> list[dict]:
    return [entry(env) for env in cloud_environments() if env.tags.get("tier") == PRODUCTION_TIER]


def named(names: list[str]) -> list[dict]:
    return [entry(get(name)) for name in names]


def changed_since(base: str) -> list[str]:
    out = subprocess.run(["git", "diff", "--name-only", f"{base}...HEAD"], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(
            f"pipelines.matrix: git diff against {base} failed ({out.stderr.strip()}). Fix: check "
            "out with fetch-depth: 0 (actions/checkout) so the base branch's history is present"
        )
    return [line for line in out.stdout.splitlines() if line]


def main(argv: list[str]) -> int:
    if argv[:1] == ["affected"] and len(argv) == 2:
        print(json.dumps(affected(changed_since(argv[1]))))
    elif argv == ["production"]:
        print(json.dumps(production()))
    elif argv[:1] == ["named"] and len(argv) > 1:
        print(json.dumps(named(argv[1:])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
