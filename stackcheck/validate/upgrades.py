"""A stack validated against a provider a major ahead of the version it pins (azurerm 5.x for bindings of 4.x): the
errors on resources the provider's own upgrade guide changes in that major are what moving to it takes, not faults
of the stack as pinned. The guide is read from the provider's module source, the source its build compiled."""

import re
from collections.abc import Callable
from pathlib import Path

from .stack import StackResult, Upgrade

GUIDE = "website/docs/guides/{major}.0-upgrade-guide.html.markdown"  # the layout of hashicorp's providers
SECTION = re.compile(r"^###\s+`(?P<type>[a-z0-9_]+)`\s*$")
ADDRESS = re.compile(r"\b(?:resource|data)\.(?P<type>[a-z0-9_]+)\.")
Majors = dict[str, dict[str, list[str]]]  # "5.0" -> resource type -> the guide's lines on it


def major(version: str) -> int:
    """The major of a version or an exact constraint: 4 of "4.55.0" and of "= 4.55.0"."""
    return int(re.search(r"\d+", version)[0])


def guide_changes(text: str) -> dict[str, list[str]]:
    """Resource or data source type -> the guide's lines on it (its `### \\`type\\`` section's bullets)."""
    changes, current = {}, None
    for line in text.splitlines():
        if section := SECTION.match(line):
            current = changes.setdefault(section["type"], [])
        elif line.startswith("#"):
            current = None
        elif current is not None and line.startswith("* "):
            current.append(line[2:].strip())
    return changes


def majors_between(source: Path, asked: str, validated: str) -> Majors:
    """`<major>.0` -> its guide's changes, for each major after the asked version's up to the validated one's.
    Raises FileNotFoundError naming a guide the source lacks."""
    found = {}
    for step in range(major(asked) + 1, major(validated) + 1):
        guide = source / GUIDE.format(major=step)
        if not guide.is_file():
            raise FileNotFoundError(f"{guide} (the provider's {step}.0 upgrade guide) is not in its module source")
        found[f"{step}.0"] = guide_changes(guide.read_text())
    return found


def set_aside(result: StackResult, majors_of: Callable[[str, str, str], Majors]) -> None:
    """Moves each error on a resource that a guide between the version the stack asks for and the one validated
    against changes (`majors_of(provider, asked, validated)`, majors_between of that provider) from
    `result.errors` to `result.upgrades["<provider> <major>.0"]`; every other error stays an error."""
    kept = []
    for error in result.errors:
        address = ADDRESS.search(error)
        provider = address["type"].split("_")[0] if address else ""
        asked, validated = result.asked.get(provider), result.providers.get(provider)
        majors = (
            majors_of(provider, asked, validated) if asked and validated and major(asked) < major(validated) else {}
        )
        step = next((step for step, changes in majors.items() if address["type"] in changes), "")
        if step:
            kind = address["type"]
            result.upgrades.setdefault(f"{provider} {step}", {}).setdefault(
                kind, Upgrade(majors[step][kind])
            ).errors.append(error)
        else:
            kept.append(error)
    result.errors = kept
