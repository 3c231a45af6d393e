"""Helpers of the upstream-release tests: the values a synthesized helm_release passes, as Helm would merge them.

Values files are read from stacks/delivery/values/ (a bare test stack's assets are not copied), generated documents
through the same reader `make upstream-check` uses (stackcheck.upstream.releases), so both see the same values.
"""

import re
from pathlib import Path

from deliverykit import delivery, releases
from stackcheck.upstream.keys import merge
from stackcheck.upstream.releases import FILE_CALL, resolve_values, set_path
from stacks.delivery.helm_addons import VALUES_DIR


def release_values(env: str, name: str) -> dict:
    """Merged values of release `name` in environment `env` (sensitive values as the stand-in string)."""
    body = releases(delivery(env))[name]
    merged = {}
    for text in body.get("values", []):
        if match := FILE_CALL.match(text):
            document = resolve_values(f'${{file("{Path(match.group(1)).name}")}}', VALUES_DIR)
        else:
            document = resolve_values(text, Path("."))
        merged = merge(merged, document)
    for entry in body.get("set_sensitive") or []:
        set_path(merged, entry["name"], "sensitive")
    return merged


def release(env: str, name: str) -> dict:
    return releases(delivery(env))[name]


def dig(values: dict, dotted: str, default=None):
    for key in re.split(r"(?<!\\)\.", dotted):
        if not isinstance(values, dict) or key.replace("\\.", ".") not in values:
            return default
        values = values[key.replace("\\.", ".")]
    return values
