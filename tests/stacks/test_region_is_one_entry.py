"""A region is one catalog entry: main.py run on a catalog with one more AWS production region (prod-de,
eu-central-1) gives it a complete stack, its region's state store and deploy runner, the global entry routes to it,
and every other stack is synthesized byte for byte as without it."""

import collections
import functools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from contract import settings
from regionkit import region_of, violations
from stacks.delivery.public_hosts import host_labels
from stacks.environments import ENVIRONMENTS
from synthkit import CLOUD_GROUPS, ROOT, all_stacks, start_app_runs

start_app_runs()

AWS_GROUP = next(group for group in CLOUD_GROUPS if "global-aws" in group)
NEW, NEW_REGION, NEW_STORE, NEW_RUNNER = "prod-de", "eu-central-1", "state-aws-eu-central-1", "runner-aws-eu-central-1"
# The whole change: one entry, as catalog.py declares prod-eu and prod-us.
EXTENDED_MAIN = f"""
import runpy
from stacks.environments import catalog
catalog.ENVIRONMENTS[{NEW!r}] = catalog._aws_prod({NEW!r}, {NEW_REGION!r}, 70)
runpy.run_path("main.py", run_name="__main__")
"""


@functools.cache
def extended() -> Path:
    """The AWS stacks and the new region's, synthesized from the extended catalog."""
    outdir = Path(tempfile.mkdtemp(prefix="voiceplat-extended-"))
    stacks = ",".join([*AWS_GROUP, NEW, NEW_STORE, NEW_RUNNER])
    env = dict(os.environ, **{settings.STACKS.name: stacks}, CDKTF_OUTDIR=str(outdir))
    result = subprocess.run(
        [sys.executable, "-c", EXTENDED_MAIN], cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return outdir


def synthesized(name: str) -> dict:
    return json.loads((extended() / "stacks" / name / "cdk.tf.json").read_text())


def resources(document: dict) -> collections.Counter:
    return collections.Counter({kind: len(found) for kind, found in document.get("resource", {}).items()})


@pytest.mark.parametrize("name", [name for name in AWS_GROUP if name != "global-aws"])
def test_adding_a_region_changes_no_other_regions_stack(name):
    assert synthesized(name) == all_stacks()[name].stack_json(name)


def test_the_new_region_gets_a_stack_as_complete_as_an_existing_regions():
    assert resources(synthesized(NEW)) == resources(all_stacks()["prod-eu"].stack_json("prod-eu"))


def test_the_new_region_keeps_its_state_in_a_store_of_its_own_region():
    backend = synthesized(NEW)["terraform"]["backend"]["s3"]
    (bucket,) = synthesized(NEW_STORE)["resource"]["aws_s3_bucket"].values()
    assert backend["region"] == NEW_REGION and backend["bucket"] == bucket["bucket"]


def test_the_new_region_gets_a_deploy_runner_of_its_own_in_its_store():
    backend = synthesized(NEW_RUNNER)["terraform"]["backend"]["s3"]
    assert (backend["region"], backend["bucket"]) == (
        NEW_REGION,
        synthesized(NEW)["terraform"]["backend"]["s3"]["bucket"],
    )
    (peering,) = synthesized(NEW)["resource"]["aws_vpc_peering_connection"].values()
    assert peering["peer_region"] == NEW_REGION and peering["tags"]["Name"].endswith(f"{NEW}-to-{NEW_RUNNER}")


@pytest.mark.parametrize("name", [NEW, NEW_RUNNER])
def test_the_new_region_names_nothing_of_the_other_regions(name):
    environments = [*ENVIRONMENTS.values()]  # the other regions as the catalog has them
    assert violations(synthesized(name), NEW_REGION, environments) == []
    assert region_of("prod-eu", ENVIRONMENTS) == "eu-west-1"


def test_the_global_entry_routes_to_the_new_region_beside_the_others():
    document = synthesized("global-aws")
    records = document["resource"]["aws_route53_record"].values()
    latency = {(r["set_identifier"], r["latency_routing_policy"]["region"]) for r in records if "set_identifier" in r}
    assert {identifier for identifier, _ in latency} == {"prod-eu", "prod-us", NEW}
    assert (NEW, NEW_REGION) in latency
    routed = [record for record in records if "set_identifier" in record]
    checks = document["resource"]["aws_route53_health_check"].values()
    assert len(checks) == len(routed) == 3 * len(host_labels())
    (replication,) = document["resource"]["aws_ecr_replication_configuration"].values()
    destinations = replication["replication_configuration"]["rule"][0]["destination"]
    assert {destination["region"] for destination in destinations} == {"eu-west-1", "us-east-1", NEW_REGION}
