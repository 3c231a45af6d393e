"""Which stacks a first deploy applies, in its order: the stack that makes a state bucket before those keeping
their state in it (state-aws-<region>), a region's deploy runner before the stacks that peer with it
(runner-aws-<region>, then the environments), and a stack before those reading its outputs from its state (the
regions, then global-aws)."""

import json
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


def _runner_path(document: dict) -> list[dict]:
    """The resources of the stack's path to a deploy runner (its runner-path construct)."""
    return [
        body
        for resources in document.get("resource", {}).values()
        for body in resources.values()
        if "/runner-path/" in body.get("//", {}).get("metadata", {}).get("path", "")
    ]


def peered_runners(document: dict, runners: list[str]) -> list[str]:
    """The runner stacks the stack peers with: those its runner path names (`<env>-to-<runner>`)."""
    text = json.dumps(_runner_path(document))
    return [runner for runner in runners if f"-to-{runner}" in text]


def backend_key(document: dict) -> tuple[str, str] | None:
    """(bucket, key) of the stack's own S3 state, if it has one."""
    s3 = document.get("terraform", {}).get("backend", {}).get("s3", {})
    return (s3["bucket"], s3["key"]) if "bucket" in s3 and "key" in s3 else None


def remote_states(document: dict) -> list[tuple[str, str]]:
    """(bucket, key) of every S3 state the stack reads outputs from (data.terraform_remote_state)."""
    found = document.get("data", {}).get("terraform_remote_state", {}).values()
    return [
        (body["config"]["bucket"], body["config"]["key"])
        for body in found
        if body.get("backend") == "s3" and {"bucket", "key"} <= set(body.get("config", {}))
    ]


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
    makers = state_buckets(documents)
    writers = {key: name for name, made in documents.items() if (key := backend_key(made))}
    for name in list(uses_aws):  # a reader after the stacks it reads, which are applied too
        for read in remote_states(documents[name]):
            if read not in writers:
                raise SystemExit(
                    f"emulate-aws: {name} reads the outputs of state {read[1]} in bucket {read[0]}, which no "
                    f"synthesized stack writes. Fix: synth that stack too"
                )
            if writers[read] not in uses_aws:
                uses_aws.append(writers[read])
    runners = [name for name in aws if name.startswith(RUNNER_PREFIX)]
    peered = [runner for name in uses_aws for runner in peered_runners(documents[name], runners)]
    # the runners first (named, or peered with by a stack applied), then the rest, the readers last (stable)
    uses_aws = [*dict.fromkeys([*(name for name in uses_aws if name in runners), *peered])] + [
        name for name in uses_aws if name not in runners
    ]
    uses_aws.sort(key=lambda name: bool(remote_states(documents[name])))
    ordered = []
    for name in uses_aws:
        maker = ""
        if bucket := documents[name].get("terraform", {}).get("backend", {}).get("s3", {}).get("bucket"):
            if bucket not in makers:
                raise SystemExit(
                    f"emulate-aws: {name} keeps its state in bucket {bucket}, which no synthesized "
                    f"stack makes (synthesized: {', '.join(found)}). Fix: synth the state stack too, "
                    f"e.g. STACKS=state-aws-<region>,{name}"
                )
            maker = makers[bucket]
        ordered += [stack for stack in (maker, name) if stack and stack not in ordered]
    return ordered, set(makers.values()) & set(ordered)
