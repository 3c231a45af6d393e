"""Every Secret each release reads, and where it comes from (stacks/delivery/secret_sources.py): never from git.

The project charts are rendered here (pinned helm); the upstream charts when UPSTREAM_CHARTS names a folder holding
them at their pinned versions (as for `make upstream-check`), else those tests skip.
"""

import os
from collections import Counter
from pathlib import Path

import pytest

import contract
from contract import tools
from deliverykit import FACTS, delivery, releases, secrets
from stackcheck.upstream.check import Sources, work_dir
from stackcheck.upstream.releases import UpstreamRelease
from stackcheck.upstream.render import render
from stackcheck.upstream.secrets import created_secrets, referenced_secrets
from stacks.delivery.livekit_keys import SECRET_NAME
from stacks.delivery.rendered import rendered, stand_ins
from stacks.delivery.secret_sources import SECRET_SOURCES, source_of
from stacks.environments import ENVIRONMENTS, Cloud
from upstreamkit import release_values

CLOUD = [name for name, env in ENVIRONMENTS.items() if env.cloud is not Cloud.LOCAL]
UPSTREAM_CHARTS = os.environ.get("UPSTREAM_CHARTS", "")


def secret_table(env: str, objects_by_release: dict[str, list[dict]]) -> list[tuple[str, str, str]]:
    """(release, Secret, source) for every Secret a release reads and does not create itself."""
    rows = []
    for name, objects in sorted(objects_by_release.items()):
        for secret in sorted(referenced_secrets(objects) - created_secrets(objects)):
            source = source_of(name, secret)
            rows.append((name, secret, f"{source[0]}: {source[1]}" if source else "NOTHING CREATES IT"))
    return rows


@pytest.mark.parametrize("env", CLOUD)
def test_every_secret_a_project_chart_reads_comes_from_the_secret_store_or_the_stack(env):
    environment = ENVIRONMENTS[env]
    objects = rendered(environment, stand_ins(FACTS[environment.cloud].chart_values))
    table = secret_table(env, objects)
    assert table and all("NOTHING" not in row[2] for row in table), table
    found = secrets(delivery(env))
    for chart, chart_objects in objects.items():
        synced = {
            item["secretName"]
            for obj in chart_objects
            if obj["kind"] == "SecretProviderClass"
            for item in obj["spec"].get("secretObjects", [])
        }
        made = {
            secret
            for secret in referenced_secrets(chart_objects)
            if secret in found and (source_of(chart, secret) or ("",))[0] == "stack"
        }
        assert referenced_secrets(chart_objects) - created_secrets(chart_objects) <= synced | made, chart


@pytest.mark.parametrize("env", CLOUD)
def test_secrets_the_stack_creates_are_kubernetes_secrets_of_the_stack(env):
    found = secrets(delivery(env))
    for (_, secret), (kind, _) in SECRET_SOURCES.items():
        if kind == "stack":
            assert secret in found and found[secret]["data"], secret
    assert SECRET_NAME in found


def provider_classes(env: str) -> list[tuple[str, dict]]:
    """(namespace, SecretProviderClass) of everything the environment installs: the project charts' (in the platform
    namespace, as releases or ArgoCD Applications) and those the stack adds to upstream releases (extraObjects)."""
    environment = ENVIRONMENTS[env]
    found = [
        (contract.PLATFORM_NAMESPACE, obj)
        for objects in rendered(environment, stand_ins(FACTS[environment.cloud].chart_values)).values()
        for obj in objects
        if obj["kind"] == "SecretProviderClass"
    ]
    for name, body in releases(delivery(env)).items():
        if body.get("repository"):
            found += [
                (obj["metadata"].get("namespace", body["namespace"]), obj)
                for key in ("extraObjects", "extraManifests")  # argo-cd's, kube-prometheus-stack's
                for obj in release_values(env, name).get(key) or []
                if obj.get("kind") == "SecretProviderClass"
            ]
    return found


@pytest.mark.parametrize("env", list(ENVIRONMENTS))
def test_one_secret_provider_class_writes_each_synced_secret_of_a_namespace(env):
    """The CSI driver writes a synced Secret from the class of whichever pod mounts first: two classes writing one
    Secret would leave it to chance which contents it holds."""
    writers = Counter(
        (namespace, item["secretName"])
        for namespace, obj in provider_classes(env)
        for item in obj["spec"].get("secretObjects") or []
    )
    assert writers or ENVIRONMENTS[env].cloud is Cloud.LOCAL, "kind alone has no secret store"
    assert not [secret for secret, count in writers.items() if count > 1]


def upstream_objects(env: str) -> dict[str, list[dict]]:
    sources = Sources(helm=tools.tool("helm"), local=Path(UPSTREAM_CHARTS), work=work_dir())
    objects = {}
    for name, body in releases(delivery(env)).items():
        if not body.get("repository"):
            continue
        upstream = UpstreamRelease(
            stack=env,
            name=name,
            namespace=body["namespace"],
            repository=body["repository"],
            chart=body["chart"],
            version=body["version"],
            values=(release_values(env, name),),
        )
        source = sources.get(upstream)
        if source.path is None:
            pytest.skip(f"{upstream.label} is not in UPSTREAM_CHARTS ({source.note})")
        objects[name] = render(sources.helm, upstream, source.path, drop=source.dropped)
    return objects


@pytest.mark.skipif(not UPSTREAM_CHARTS, reason="UPSTREAM_CHARTS names no folder of upstream charts")
@pytest.mark.parametrize("env", CLOUD)
def test_every_secret_an_upstream_release_reads_has_a_source(env):
    table = secret_table(env, upstream_objects(env))
    print("\n".join(f"{env}: {release} reads {secret} <- {source}" for release, secret, source in table))
    assert all("NOTHING" not in row[2] for row in table), [row for row in table if "NOTHING" in row[2]]
