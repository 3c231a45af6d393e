"""Which stacks a first deploy applies, in its order: the stack that makes a state bucket before those keeping
their state in it, and the deploy runner's bootstrap before the environments that peer with it (state-aws,
runner-aws, then the environments)."""

from pathlib import Path

from ..synthesized import stack_document


def state_buckets(documents: dict[str, dict]) -> dict[str, str]:
    """Bucket name -> the stack that makes it."""
    return {
        body["bucket"]: name
        for name, made in documents.items()
        for body in made.get("resource", {}).get("aws_s3_bucket", {}).values()
        if "bucket" in body
    }


RUNNER_PREFIX = "runner-"  # the deploy runners' bootstrap stacks (stacks/runner/)


def _peers_with_runner(document: dict) -> bool:
    """Whether the stack makes a path to a deploy runner (its runner-path construct), so needs the runner first."""
    return any(
        "/runner-path/" in body.get("//", {}).get("metadata", {}).get("path", "")
        for resources in document.get("resource", {}).values()
        for body in resources.values()
    )


def aws_stacks(found: dict[str, Path], names: list[str]) -> tuple[list[str], set[str]]:
    """The AWS stacks among `names` (every synthesized one when empty), each after the stack making its state
    bucket (added when not named), and which of them make a bucket. Raises SystemExit naming a bucket no
    synthesized stack makes."""
    documents = {name: stack_document(folder) for name, folder in found.items()}
    aws = sorted(
        name for name, made in documents.items() if "aws" in made.get("terraform", {}).get("required_providers", {})
    )
    if not aws:
        raise SystemExit("emulate-aws: no synthesized stack uses the AWS provider. Fix: synth them (VALIDATE_SYNTH=1)")
    if others := [name for name in names if name not in aws]:
        raise SystemExit(
            f"emulate-aws: {', '.join(others)} is no synthesized AWS stack (the AWS stacks: "
            f"{', '.join(aws)}). Fix: name those, or synth it (VALIDATE_SYNTH=1)"
        )
    uses_aws = [name for name in aws if not names or name in names]
    runners = [name for name in aws if name.startswith(RUNNER_PREFIX)]
    if any(_peers_with_runner(documents[name]) for name in uses_aws):
        uses_aws = [*runners, *(name for name in uses_aws if name not in runners)]
    else:
        uses_aws = sorted(uses_aws, key=lambda name: not name.startswith(RUNNER_PREFIX))
    makers = state_buckets(documents)
    ordered = []
    for name in uses_aws:
        maker = ""
        if bucket := documents[name].get("terraform", {}).get("backend", {}).get("s3", {}).get("bucket"):
            if bucket not in makers:
                raise SystemExit(
                    f"emulate-aws: {name} keeps its state in bucket {bucket}, which no synthesized "
                    f"stack makes (synthesized: {', '.join(found)}). Fix: synth the state stack too, "
                    f"e.g. STACKS=state-aws,{name}"
                )
            maker = makers[bucket]
        ordered += [stack for stack in (maker, name) if stack and stack not in ordered]
    return ordered, set(makers.values()) & set(ordered)
