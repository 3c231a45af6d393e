"""Whether a synthesized stack's cluster objects wait for its path to the deploy runner: every Helm release and
Kubernetes resource must depend, directly or through what it depends on, on each resource of the runner path
(the `runner-path` construct: peering, its acceptance, the routes, the DNS links). Otherwise a first
`cdktf deploy <env>` on the runner would call the private API before it can reach it."""

import re

CLUSTER_OBJECTS = re.compile(r"^(helm_release|kubernetes_\w+)$")
REFERENCE = re.compile(r"\b((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)")
PATH_CONSTRUCT = "/runner-path/"


def _addresses(document: dict) -> dict[str, dict]:
    found = {}
    for kind, resources in document.get("resource", {}).items():
        for name, body in resources.items():
            found[f"{kind}.{name}"] = body
    for kind, sources in document.get("data", {}).items():
        for name, body in sources.items():
            found[f"data.{kind}.{name}"] = body
    return found


def _direct(body: dict, known: set[str]) -> set[str]:
    """What a resource waits for: its depends_on and every resource its arguments reference."""
    text = repr({key: value for key, value in body.items() if key != "//"})
    return {match for match in REFERENCE.findall(text) if match in known}


def runner_path(document: dict) -> set[str]:
    return {
        address
        for address, body in _addresses(document).items()
        if PATH_CONSTRUCT in body.get("//", {}).get("metadata", {}).get("path", "") and not address.startswith("data.")
    }


def objects_before_the_path(document: dict) -> dict[str, set[str]]:
    """Each Helm release or Kubernetes resource that does not wait for the whole runner path -> what it misses."""
    resources = _addresses(document)
    known = set(resources)
    edges = {address: _direct(body, known) for address, body in resources.items()}
    path = runner_path(document)
    closure: dict[str, set[str]] = {}

    def reach(address: str, seen: frozenset = frozenset()) -> set[str]:
        if address in closure:
            return closure[address]
        found: set[str] = set()
        for target in edges[address]:
            if target not in seen:
                found |= {target} | reach(target, seen | {address})
        closure[address] = found
        return found

    missing = {}
    for address in resources:
        if CLUSTER_OBJECTS.match(address.split(".")[0]) and (gap := path - reach(address)):
            missing[address] = gap
    return missing
