"""cluster-autoscaler's ClusterRole allows everything its binary watches (stacks/delivery/rbac_watches.py), for the
chart and image the stacks pin: a missing rule keeps the binary waiting for an informer that never syncs.

Offline, the chart's ClusterRole is a recorded copy of what the pinned chart renders with the stacks' values
(tests/stackcheck/upstream/clusterroles/, each naming its source), plus any rules the stack's values add: the chart
is fetched online only, and `make test` must not need the network. With UPSTREAM_CHARTS naming a folder that holds
the charts (as for `make upstream-check`), the pinned chart is rendered with the synthesized values and must match
the recording, so a recording cannot drift from the chart it names.
"""

import os
from pathlib import Path

import pytest
import yaml

from contract import tools
from deliverykit import delivery, releases
from stackcheck.upstream.check import Sources, work_dir
from stackcheck.upstream.releases import UpstreamRelease
from stackcheck.upstream.render import render
from stacks.delivery.helm_addons import CLUSTER_AUTOSCALER
from stacks.delivery.rbac_watches import SOURCE_TREES, WATCHES, Watch, unwatchable
from stacks.delivery.upstream_charts import CHARTS
from stacks.environments import ENVIRONMENTS
from upstreamkit import release_values

RECORDED = Path(__file__).resolve().parents[2] / "stackcheck" / "upstream" / "clusterroles"
UPSTREAM_CHARTS = os.environ.get("UPSTREAM_CHARTS", "")
SCALED = [name for name in ENVIRONMENTS if CLUSTER_AUTOSCALER in releases(delivery(name))]


def recorded(version: str) -> dict:
    path = RECORDED / f"{CLUSTER_AUTOSCALER}-{version}.yaml"
    if not path.is_file():
        pytest.fail(
            f"no recorded ClusterRole for chart {CLUSTER_AUTOSCALER} {version} ({path} is missing). Fix: "
            f"render it (helm template {CLUSTER_AUTOSCALER} <chart {version}> with the release's values "
            "--show-only templates/clusterrole.yaml) into that file, as the others are, and run this test "
            "with UPSTREAM_CHARTS set to confirm it"
        )
    return yaml.safe_load(path.read_text())


def cluster_role_rules(version: str, values: dict) -> list[dict]:
    """The rules of the ClusterRole chart `version` renders with `values`: the recording, plus the stack's
    rbac.additionalRules where that chart renders them."""
    record = recorded(version)
    extra = (values.get("rbac") or {}).get("additionalRules") or []
    return record["rules"] + (extra if record["renders_additional_rules"] else [])


def watches_of(tag: str) -> tuple[Watch, ...]:
    if tag not in WATCHES:
        pytest.fail(
            f"cluster-autoscaler {tag} runs, but stacks/delivery/rbac_watches.py has no table of what it "
            "watches. Fix: derive it from the source at that tag (the module's docstring says how)"
        )
    return WATCHES[tag]


def describe(missing: list[Watch]) -> str:
    return "; ".join(
        f"{w.api_group or 'core'}/{w.resource} ({', '.join(w.verbs)}) asked for at {', '.join(w.sources)}"
        for w in missing
    )


@pytest.mark.parametrize("env", SCALED)
def test_the_pinned_charts_cluster_role_allows_everything_the_pinned_binary_watches(env):
    values = release_values(env, CLUSTER_AUTOSCALER)
    version, tag = CHARTS[CLUSTER_AUTOSCALER].version, values["image"]["tag"]
    missing = unwatchable(cluster_role_rules(version, values), watches_of(tag))
    assert not missing, (
        f"chart {version}'s ClusterRole does not let cluster-autoscaler {tag} watch "
        f"{describe(missing)}: it would wait for those informers forever and never scale"
    )


def test_the_check_refuses_chart_9_46_0_for_the_1_35_binary():
    """The pins before this check (chart 9.46.0, written for 1.32, with v1.35.1): what it would have said."""
    missing = unwatchable(cluster_role_rules("9.46.0", {}), WATCHES["v1.35.1"])
    assert {(w.api_group, w.resource) for w in missing} == {
        ("storage.k8s.io", "volumeattachments"),
        ("resource.k8s.io", "resourceclaims"),
        ("resource.k8s.io", "resourceslices"),
        ("resource.k8s.io", "deviceclasses"),
    }


def test_a_rule_with_resource_names_or_missing_verbs_does_not_count():
    watch = Watch("", "nodes", ("ca: x.go:1",))
    assert unwatchable([{"apiGroups": [""], "resources": ["nodes"], "verbs": ["list"]}], (watch,)) == [watch]
    assert unwatchable(
        [{"apiGroups": [""], "resources": ["nodes"], "resourceNames": ["a"], "verbs": ["list", "watch"]}], (watch,)
    ) == [watch]
    assert (
        unwatchable(
            [
                {"apiGroups": [""], "resources": ["nodes"], "verbs": ["list"]},
                {"apiGroups": ["*"], "resources": ["nodes"], "verbs": ["watch"]},
            ],
            (watch,),
        )
        == []
    )


@pytest.mark.parametrize("tag", list(WATCHES))
def test_every_row_of_the_table_names_the_source_lines_it_came_from(tag):
    for watch in WATCHES[tag]:
        assert watch.sources, watch
        for source in watch.sources:
            tree, _, where = source.partition(": ")
            path, _, lines = where.rpartition(":")
            assert tree in ("ca", "k8s") and path.endswith(".go") and lines.replace("-", "").isdigit(), source


def source_tree(tree: str, tag: str) -> Path | None:
    """Where the `tree` lines of `tag`'s rows can be read: k8s.io/kubernetes from a Go module cache, cluster-autoscaler
    from CLUSTER_AUTOSCALER_SOURCE (its cluster-autoscaler/ folder at the tag: the module proxy refuses it)."""
    kubernetes = SOURCE_TREES[tag][1]
    if tree == "ca":
        folder = os.environ.get("CLUSTER_AUTOSCALER_SOURCE", "")
        return Path(folder) if folder and (Path(folder) / "main.go").is_file() else None
    caches = [os.environ.get("GOMODCACHE", ""), str(tools.cache_dir() / "go" / "mod"), str(Path.home() / "go/pkg/mod")]
    return next(
        (
            Path(c) / f"k8s.io/kubernetes@{kubernetes}"
            for c in caches
            if c and (Path(c) / f"k8s.io/kubernetes@{kubernetes}").is_dir()
        ),
        None,
    )


@pytest.mark.parametrize("tag, tree", [(tag, tree) for tag in WATCHES for tree in ("ca", "k8s")])
def test_each_rows_source_lines_ask_for_its_resource_where_the_source_is_at_hand(tag, tree):
    root = source_tree(tree, tag)
    if root is None:
        pytest.skip(f"the {tree} source of {tag} ({SOURCE_TREES[tag]}) is not at hand")
    for watch in WATCHES[tag]:
        for source in watch.sources:
            if not source.startswith(f"{tree}: "):
                continue
            path, _, lines = source.removeprefix(f"{tree}: ").rpartition(":")
            first, _, last = lines.partition("-")
            text = (root / path).read_text().splitlines()[int(first) - 1 : int(last or first)]
            assert any(watch.resource in line.lower() for line in text), (source, text)


@pytest.mark.skipif(not UPSTREAM_CHARTS, reason="UPSTREAM_CHARTS names no folder of upstream charts")
@pytest.mark.parametrize("env", SCALED)
def test_the_recording_is_what_the_pinned_chart_renders_with_the_stacks_values(env):
    body = releases(delivery(env))[CLUSTER_AUTOSCALER]
    values = release_values(env, CLUSTER_AUTOSCALER)
    sources = Sources(helm=tools.tool("helm"), local=Path(UPSTREAM_CHARTS), work=work_dir())
    upstream = UpstreamRelease(
        stack=env,
        name=CLUSTER_AUTOSCALER,
        namespace=body["namespace"],
        repository=body["repository"],
        chart=body["chart"],
        version=body["version"],
        values=(values,),
    )
    source = sources.get(upstream)
    if source.path is None:
        pytest.skip(f"{upstream.label} is not in UPSTREAM_CHARTS ({source.note})")
    (role,) = [
        obj for obj in render(sources.helm, upstream, source.path, drop=source.dropped) if obj["kind"] == "ClusterRole"
    ]
    assert role["rules"] == cluster_role_rules(body["version"], values)
