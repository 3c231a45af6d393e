"""The public host names of an environment, as its Ingresses serve them: each project chart service's
`ingress.host` template (`api.{{ .Values.global.ingress.domain }}`) under the environment's domain. The regional
stack publishes them as its output `public_hosts` (label -> host); the cloud's global entry reads that output to
point its global names and health checks at the region (stacks/global_entry/). Plain Python, no cdktf.
"""

import functools
import re

from .project_charts import PROJECT_CHARTS, chart_defaults

DOMAIN_TEMPLATE = re.compile(r"^([a-z0-9-]+)\.\{\{ *\.Values\.global\.ingress\.domain *\}\}$")
# The pods' readiness path, which a global entry's health checks ask each region's hosts for: the request crosses
# the region's edge (the ALB, Application Gateway or F5's NGINX Ingress Controller, which serves every Ingress path
# of the host) to the service behind the host, so it is 200 only while both can take calls. The ALB and AGIC also
# probe it themselves (environment_values.py INGRESS_CLASSES); NGINX leaves that to the pods' readiness.
# tests/charts/test_chart_global_health_path.py checks the route under every class a cloud offers.
HEALTH_PATH = "/readyz"


@functools.cache
def host_labels() -> tuple[str, ...]:
    """The first labels of the hosts the project charts' services publish (REST and GraphQL share `api`; `voice`),
    sorted. Raises ValueError naming a host that is not `<label>.{{ .Values.global.ingress.domain }}`."""
    labels = set()
    for chart in PROJECT_CHARTS:
        values = chart_defaults(chart)
        for name, service in (values.get("services") or {}).items():
            host = ((service or {}).get("ingress") or {}).get("host", "")
            if not host:
                continue
            found = DOMAIN_TEMPLATE.match(host)
            if not found:
                raise ValueError(
                    f"charts/{chart} services.{name}.ingress.host is {host!r}: a global entry can only serve "
                    "hosts of the form '<label>.{{ .Values.global.ingress.domain }}'. Fix: write it so"
                )
            labels.add(found.group(1))
    return tuple(sorted(labels))


def public_hosts(domain: str) -> dict[str, str]:
    """label -> host under `domain`: the regional hosts of an environment, or the global names of an entry."""
    return {label: f"{label}.{domain}" for label in host_labels()}
