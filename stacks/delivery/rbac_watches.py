"""What each pinned cluster-autoscaler binary lists and watches (addons.CLUSTER_AUTOSCALER_IMAGES), read from its
source: the ClusterRole it runs under must allow every one of them (tests/stacks/delivery/test_autoscaler_rbac.py).

Why watches: cluster-autoscaler starts one shared informer factory, registers every informer its listers and the
scheduler plugins it simulates with ask for, starts them and waits for all to sync before its first loop
(main.go:285-292 at cluster-autoscaler-1.35.1: "unable to start and sync resource informers"). An informer whose
list is forbidden never syncs, so one missing rule stops the binary at startup, with no scale-up ever; a missing
write verb fails later, one call at a time, and is the chart's own business.

How a row was found (derive the table again for a new tag the same way): in the module's source at the tag, grep
`Informer()`, `Lister()`, `NewSharedInformerFactory`, `resource.k8s.io`, `VolumeAttachments`; then follow the
scheduler framework it builds (simulator/framework/handle.go) into k8s.io/kubernetes at the version its go.mod
requires, where each plugin of the default profile (pkg/scheduler/apis/config/v1/default_plugins.go, plus the
feature-gated ones that are on) asks the same factory for listers in its New. Lines below are of those trees:
`ca:` cluster-autoscaler/ at the tag, `k8s:` k8s.io/kubernetes. The module proxy refuses this module's versions
(k8s.io/autoscaler/cluster-autoscaler and sigs.k8s.io/cluster-autoscaler: the list, @latest, and the pseudo-versions
of the 1.32.0, 1.34.5, 1.35.1 and 1.35.2 tags' commits), so the binary cannot be built here and kind cannot run it
with its kwok or clusterapi provider: this table is what proves its RBAC offline. The tag's tree comes from the
kubernetes/autoscaler repository. The test reads each row's lines where the trees are
at hand (k8s.io/kubernetes in a Go module cache, the tag's tree in CLUSTER_AUTOSCALER_SOURCE) and fails on a line
that does not name the row's resource.
"""

from dataclasses import dataclass

INFORMER_VERBS = ("list", "watch")


@dataclass(frozen=True)
class Watch:
    """One resource the binary lists and watches, and where in its source it asks for it."""

    api_group: str  # "" for the core group
    resource: str
    sources: tuple[str, ...]
    verbs: tuple[str, ...] = INFORMER_VERBS


# cluster-autoscaler-1.35.1 (commit 3929ade99d23), built with k8s.io/kubernetes v1.35.6 (its go.mod). DRA cannot be
# switched off in 1.35 (ca: config/flags/flags.go:231 "locked to true", :302 exits otherwise), so the
# resource.k8s.io listers are always registered (ca: core/autoscaler.go:135-136).
_V1_35_1 = (
    Watch(
        "",
        "pods",
        (
            "ca: utils/kubernetes/listers.go:88",
            "ca: loop/trigger.go:114-115",
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:627",
            "k8s: pkg/scheduler/framework/preemption/preemption.go:159",
        ),
    ),
    Watch(
        "",
        "nodes",
        (
            "ca: utils/kubernetes/listers.go:89-90",
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:628",
        ),
    ),
    Watch("", "namespaces", ("k8s: pkg/scheduler/framework/plugins/interpodaffinity/plugin.go:122",)),
    Watch("", "services", ("k8s: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go:148",)),
    Watch(
        "",
        "replicationcontrollers",
        ("ca: utils/kubernetes/listers.go:94", "k8s: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go:149"),
    ),
    Watch(
        "",
        "persistentvolumeclaims",
        (
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:629",
            "k8s: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go:590",
            "k8s: pkg/scheduler/framework/plugins/volumezone/volume_zone.go:410",
            "k8s: pkg/scheduler/framework/plugins/volumerestrictions/volume_restrictions.go:427",
        ),
    ),
    Watch(
        "",
        "persistentvolumes",
        (
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:630",
            "k8s: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go:589",
            "k8s: pkg/scheduler/framework/plugins/volumezone/volume_zone.go:409",
        ),
    ),
    Watch("apps", "daemonsets", ("ca: utils/kubernetes/listers.go:93",)),
    Watch(
        "apps",
        "replicasets",
        ("ca: utils/kubernetes/listers.go:96", "k8s: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go:150"),
    ),
    Watch(
        "apps",
        "statefulsets",
        ("ca: utils/kubernetes/listers.go:97", "k8s: pkg/scheduler/framework/plugins/podtopologyspread/plugin.go:151"),
    ),
    Watch("batch", "jobs", ("ca: utils/kubernetes/listers.go:95",)),
    Watch(
        "policy",
        "poddisruptionbudgets",
        ("ca: utils/kubernetes/listers.go:92", "k8s: pkg/scheduler/framework/preemption/preemption.go:160"),
    ),
    Watch(
        "storage.k8s.io",
        "storageclasses",
        (
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:631",
            "k8s: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go:591",
            "k8s: pkg/scheduler/framework/plugins/volumezone/volume_zone.go:411",
        ),
    ),
    Watch(
        "storage.k8s.io",
        "csinodes",
        (
            "ca: simulator/framework/handle.go:58",
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:632",
        ),
    ),
    Watch(
        "storage.k8s.io",
        "csidrivers",
        (
            "k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:634",
            "k8s: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go:593",
        ),
    ),
    Watch(
        "storage.k8s.io",
        "csistoragecapacities",
        ("k8s: pkg/scheduler/framework/plugins/volumebinding/volume_binding.go:635",),
    ),
    # New since the 1.32 binary chart 9.46.0 was written for: NodeVolumeLimits counts attached CSI volumes.
    Watch("storage.k8s.io", "volumeattachments", ("k8s: pkg/scheduler/framework/plugins/nodevolumelimits/csi.go:592",)),
    # New since 1.32: DRA, always on (above).
    Watch("resource.k8s.io", "resourceclaims", ("ca: simulator/dynamicresources/provider/provider.go:35",)),
    Watch("resource.k8s.io", "resourceslices", ("ca: simulator/dynamicresources/provider/provider.go:36",)),
    Watch("resource.k8s.io", "deviceclasses", ("ca: simulator/dynamicresources/provider/provider.go:37",)),
)

# image tag -> what that binary watches. A tag the stacks run without a row here fails the test: derive it first.
WATCHES: dict[str, tuple[Watch, ...]] = {"v1.35.1": _V1_35_1}
# image tag -> (the kubernetes/autoscaler tag `ca:` lines are of, the k8s.io/kubernetes version `k8s:` lines are of)
SOURCE_TREES: dict[str, tuple[str, str]] = {"v1.35.1": ("cluster-autoscaler-1.35.1", "v1.35.6")}


def unwatchable(rules: list[dict], watches: tuple[Watch, ...]) -> list[Watch]:
    """The watches a ClusterRole's `rules` do not allow: no rule without resourceNames grants all of the verbs on
    the resource (verbs may come from several rules; `*` matches anything)."""

    def granted(watch: Watch) -> set[str]:
        return {
            verb
            for rule in rules
            if not rule.get("resourceNames")
            and {watch.api_group, "*"} & set(rule.get("apiGroups") or ())
            and {watch.resource, "*"} & set(rule.get("resources") or ())
            for verb in rule.get("verbs") or ()
        }

    return [watch for watch in watches if not ({"*"} & granted(watch) or set(watch.verbs) <= granted(watch))]
