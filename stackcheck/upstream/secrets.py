"""The Secrets rendered objects read (volumes, env, envFrom, imagePullSecrets, service account token references, an
Ingress's TLS Secret, an Alertmanager's or Prometheus's spec.secrets) and the Secrets they create themselves: a Secret
read but not created must come from somewhere else."""

OPERATOR_MOUNTS = ("Alertmanager", "Prometheus")  # kinds whose spec.secrets the operator mounts into their pods


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def referenced_secrets(objects: list[dict]) -> set[str]:
    """Names of the Secrets the objects' pod templates read, those their Ingresses name for TLS (which the
    ingress controller reads), and those prometheus-operator mounts into Alertmanager's and Prometheus's pods."""
    found = set()
    for obj in objects:
        if obj.get("kind") in OPERATOR_MOUNTS:  # prometheus-operator mounts these into the pods it makes
            found |= {name for name in obj.get("spec", {}).get("secrets") or [] if isinstance(name, str)}
        if obj.get("kind") == "Ingress":
            found |= {tls["secretName"] for tls in obj.get("spec", {}).get("tls") or [] if tls.get("secretName")}
        for node in _walk(obj.get("spec", {})):
            if (
                isinstance(node.get("secret"), dict)
                and node["secret"].get("secretName")
                and not node["secret"].get("optional")
            ):
                found.add(node["secret"]["secretName"])  # volumes (and projected sources)
            for key in ("secretKeyRef", "secretRef"):
                if isinstance(node.get(key), dict) and node[key].get("name") and not node[key].get("optional"):
                    found.add(node[key]["name"])
            if isinstance(node.get("imagePullSecrets"), list):
                found |= {item["name"] for item in node["imagePullSecrets"] if isinstance(item, dict)}
    return found


def created_secrets(objects: list[dict]) -> set[str]:
    return {obj["metadata"]["name"] for obj in objects if obj.get("kind") == "Secret"}
