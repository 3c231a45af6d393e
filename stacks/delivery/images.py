"""The image repositories the project's charts pull, read from their values.yaml: the stacks create one registry
repository for each, and the charts prefix each with the environment's registry (global.image.registry).

Third-party images among them must be copied into the environment's registry before the first deploy (the
cluster pulls nothing from public registries): THIRD_PARTY says where each comes from and what it needs;
docs/cloud-runbook.md shows the copy commands. Plain Python, no cdktf."""

import functools

from .project_charts import PROJECT_CHARTS, chart_defaults

# Repository -> its upstream source and what pulling it takes.
THIRD_PARTY = {
    "busybox": "docker.io/library/busybox (public; the charts' `helm test` Pod)",
    "deepgram/self-hosted-api": (
        "quay.io/deepgram/self-hosted-api (Deepgram gives the pull credentials with the licence)"
    ),
    "deepgram/self-hosted-engine": "quay.io/deepgram/self-hosted-engine (credentials as above)",
    "deepgram/self-hosted-license-proxy": "quay.io/deepgram/self-hosted-license-proxy (credentials as above)",
}


def _repositories(value) -> set[str]:
    found = set()
    if isinstance(value, dict):
        image = value.get("image")
        if isinstance(image, dict) and image.get("repository"):
            found.add(image["repository"])
        for item in value.values():
            found |= _repositories(item)
    elif isinstance(value, list):
        for item in value:
            found |= _repositories(item)
    return found


@functools.cache
def project_repositories() -> tuple[str, ...]:
    """Every image repository the project charts name, sorted."""
    found = set()
    for chart in PROJECT_CHARTS:
        found |= _repositories(chart_defaults(chart))
    return tuple(sorted(found))
