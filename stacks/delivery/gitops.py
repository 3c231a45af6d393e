"""GitOps delivery: ArgoCD, installed by the Helm provider, syncs the project's charts from git.

One ApplicationSet per environment generates an Application per chart of PROJECT_CHARTS, each reading
`charts/<chart>` at the branch its environment follows (`environment.git`) with the environment's values files (the
same ones the Helm delivery passes) and the stack's generated values, syncing automatically with prune and self-heal.
An AppProject confines them to that repository and the platform namespace. The Applications are
objects of ArgoCD's CRDs, so they are a release of their own (argocd-apps) after ArgoCD's.

On kind (`VOICEPLAT_DELIVERY=gitops`) the same objects are delivered: ArgoCD itself is the one the cluster bootstrap
built and installed (bootstrap/gitops.py; no chart repository offline), and the argocd-apps values go to the
project's rendering of that chart's two templates (argocd-apps-chart/, compared with the pinned chart in
tests/stackcheck/upstream/test_argocd_apps_chart.py), syncing from the in-cluster Git server.
"""

from collections.abc import Mapping, Sequence

import yaml
from cdktf import ITerraformDependable
from constructs import Construct

import contract
from contract import settings

from ..environments import ConfigError, Environment
from .argocd_install import ARGOCD_FROM_CLUSTER
from .argocd_repository import repository_credentials
from .argocd_sso import ArgoCdSignIn
from .environment_values import environment_values
from .facts import StoreReader
from .helm_addons import VALUES_DIR
from .platform_charts import PROJECT_CHARTS, PlatformNamespace, chart_values_files
from .project_charts import CHARTS_DIR
from .release import Timing, release, values_document, values_file
from .upstream_charts import CHARTS


def repository(environment: Environment) -> str:
    """The repository ArgoCD reads charts/ from (environment.git, required with GitOps delivery)."""
    return _git(environment).repository


def revision(environment: Environment) -> str:
    """The branch an environment's Applications follow (on a cloud, moved only by the deliver workflow)."""
    return _git(environment).revision


def _git(environment: Environment):
    if environment.git is None:
        raise ConfigError(
            f"{environment.name}.git",
            "GitOps delivery without a repository to sync",
            "set the environment's git=GitSource(repository=..., revision=...)",
        )
    return environment.git


def refresh_paths() -> str:
    """What an Application's manifests come from in the repository, relative to its chart: the chart and the local
    charts the project charts depend on (`file://` in their Chart.yaml). On a push, ArgoCD refreshes only the
    Applications whose paths the push touched (its webhook's changed files) and reuses the others' manifests."""
    local = {
        dependency["repository"].removeprefix("file://")
        for chart in PROJECT_CHARTS
        for dependency in yaml.safe_load((CHARTS_DIR / chart / "Chart.yaml").read_text()).get("dependencies", [])
        if dependency.get("repository", "").startswith("file://")
    }
    return ";".join([".", *sorted(local)])


NAMESPACE = contract.ARGOCD_NAMESPACE
PROJECT = "voiceplat"
IN_CLUSTER = "https://kubernetes.default.svc"


def application_set(environment: Environment, namespace: str, cluster_values: Mapping) -> dict:
    """argocd-apps values: the AppProject and the environment's ApplicationSet."""
    for chart in PROJECT_CHARTS:
        chart_values_files(environment, chart)  # every values file the Applications name must exist
    source = {
        "repoURL": repository(environment),
        "targetRevision": revision(environment),
        "path": "charts/{{.chart}}",
        # The same overlays for every chart; a chart with nothing of its own for one has no such file. The
        # environment's generated values come next, the stack's cluster values last (valuesObject wins).
        "helm": {
            "releaseName": "{{.chart}}",
            "valueFiles": list(environment.values_files),
            "ignoreMissingValueFiles": True,
            "values": yaml.safe_dump(environment_values(environment), sort_keys=False),
            **({"valuesObject": dict(cluster_values)} if cluster_values else {}),
        },
    }
    return {
        "projects": {
            PROJECT: {
                "namespace": NAMESPACE,
                "description": "The voice platform's charts",
                "sourceRepos": [repository(environment)],
                "destinations": [{"server": IN_CLUSTER, "namespace": namespace}],
                "clusterResourceWhitelist": [],
            }
        },
        "applicationsets": {
            f"voiceplat-{environment.name}": {
                "namespace": NAMESPACE,
                "goTemplate": True,
                "goTemplateOptions": ["missingkey=error"],
                "generators": [{"list": {"elements": [{"chart": chart} for chart in PROJECT_CHARTS]}}],
                "template": {
                    "metadata": {
                        "name": "{{.chart}}",
                        "labels": {"voiceplat.io/environment": environment.name},
                        "annotations": {"argocd.argoproj.io/manifest-generate-paths": refresh_paths()},
                    },
                    "spec": {
                        "project": PROJECT,
                        "source": source,
                        "destination": {"server": IN_CLUSTER, "namespace": namespace},
                        # A sync applies only what differs from git: a one-value change is two objects, not the
                        # chart's every object dry-run and applied again (seconds per sync on a loaded controller).
                        "syncPolicy": {
                            "automated": {"prune": True, "selfHeal": True},
                            "syncOptions": ["ServerSideApply=true", "ApplyOutOfSyncOnly=true"],
                        },
                    },
                },
            }
        },
    }


class GitOps(Construct):
    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: Environment,
        namespace: PlatformNamespace,
        cluster_values: Mapping,
        overrides: Mapping,
        repo_server: StoreReader | None,
        after: Sequence[ITerraformDependable],
    ):
        super().__init__(scope, id_)
        if overrides:
            raise ConfigError(
                settings.LOCAL_VALUES.name,
                "chart values given to the stack, but GitOps delivery reads every chart value from git",
                "commit the values to the repository ArgoCD "
                f"syncs ({repository(environment)}) instead, or deliver with Helm",
            )
        self.argocd = None
        if environment.cloud not in ARGOCD_FROM_CLUSTER:
            if repo_server is None:
                raise ConfigError(
                    f"{environment.name}.delivery",
                    "GitOps delivery, but the cloud stack gives "
                    "ArgoCD's repo server no identity to read the repository credentials with",
                    "pass ClusterFacts(repo_server=...) from the cloud stack (stacks/delivery/aws.py, azure.py)",
                )
            sign_in = ArgoCdSignIn(self, "sign-in")
            self.argocd = release(
                self,
                "argo-cd",
                name="argo-cd",
                namespace=NAMESPACE,
                create_namespace=True,
                chart=CHARTS["argo-cd"],
                timing=Timing.SLOW,
                values=[
                    values_file(self, VALUES_DIR / "argo-cd.yaml"),
                    values_document(sign_in.values),
                    values_document(repository_credentials(environment, repo_server)),
                ],
                sensitive=sign_in.sensitive,
                depends_on=after,
            )
        self.applications = release(
            self,
            "applications",
            name="voiceplat-apps",
            namespace=NAMESPACE,
            chart=ARGOCD_FROM_CLUSTER.get(environment.cloud) or CHARTS["argocd-apps"],
            timing=Timing.QUICK,
            values=[values_document(application_set(environment, namespace.name, cluster_values))],
            depends_on=[*([self.argocd] if self.argocd else []), namespace.namespace, *after],
        )
