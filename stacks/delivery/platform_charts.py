"""The project's charts (charts/platform, deepgram, tts, vad) as Helm releases in the platform namespace.

Each release takes the chart's own overlays the environment names (ingress class and tier, or
`values/env-local.yaml` on kind), then the environment's generated `global` values (environment_values.py),
then one generated document with what only the stack knows (registry, workload identity). Charts are linted
during the plan with those values, so a values error stops `cdktf deploy` before anything changes, with the
chart's message.
"""

from collections.abc import Mapping, Sequence

from cdktf import ITerraformDependable
from constructs import Construct

import contract

from ..environments import Environment
from .cluster_objects import kubernetes_namespace
from .environment_values import environment_values
from .project_charts import CHARTS_DIR, PROJECT_CHARTS, chart_values_files
from .release import Timing, release, values_document, values_file

# Pod Security Standards: every pod of the platform namespace must pass the `restricted` profile.
POD_SECURITY_LABELS = {f"pod-security.kubernetes.io/{mode}": "restricted" for mode in ("enforce", "audit", "warn")} | {
    f"pod-security.kubernetes.io/{mode}-version": "latest" for mode in ("enforce", "audit", "warn")
}


class PlatformNamespace(Construct):
    """The platform namespace, enforcing the `restricted` Pod Security profile: a kubernetes_namespace_v1
    (`namespace`), which every release in it depends on."""

    def __init__(self, scope: Construct, id_: str, *, depends_on: Sequence[ITerraformDependable] = ()):
        super().__init__(scope, id_)
        self.name = contract.PLATFORM_NAMESPACE
        self.namespace = kubernetes_namespace(
            self, "namespace", name=self.name, labels=POD_SECURITY_LABELS, depends_on=depends_on
        )


class PlatformCharts(Construct):
    """One release per project chart, after the namespace and whatever else the charts use (`after`)."""

    def __init__(
        self,
        scope: Construct,
        id_: str,
        *,
        environment: Environment,
        namespace: PlatformNamespace,
        cluster_values: Mapping,
        overrides: Mapping[str, Mapping] | None = None,
        after: Sequence[ITerraformDependable] = (),
    ):
        super().__init__(scope, id_)
        generated = [values_document(environment_values(environment))]
        generated += [values_document(cluster_values)] if cluster_values else []
        self.releases = {
            chart: release(
                self,
                chart,
                name=chart,
                namespace=namespace.name,
                chart=CHARTS_DIR / chart,
                timing=Timing.QUICK,
                values=[values_file(self, path) for path in chart_values_files(environment, chart)]
                + generated
                + [values_document(v) for v in [(overrides or {}).get(chart)] if v],
                depends_on=[namespace.namespace, *after],
                lint=True,
            )
            for chart in PROJECT_CHARTS
        }
