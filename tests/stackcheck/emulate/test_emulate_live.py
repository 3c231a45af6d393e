"""`make emulate-aws` end to end on two small stacks: a state stack making the bucket and a stack keeping its state
there, applied against a real moto server with the real AWS provider. Needs what `make emulate-aws` builds (the
AWS provider, `make moto`): skipped where they are absent, as in `make test` on a fresh machine."""

import json
from pathlib import Path

import pytest

from bootstrap.terraform import AWS
from stackcheck.emulate.__main__ import main

MOTO = Path(__file__).resolve().parents[3] / ".venv-moto" / "bin" / "moto_server"
BUCKET = "emulated-tfstate"

pytestmark = pytest.mark.skipif(
    not (AWS.build.built() and MOTO.exists()),
    reason="the AWS provider (make validate-cloud) and moto (make moto) are not built",
)


def write(out: Path, name: str, document: dict) -> None:
    (out / name).mkdir(parents=True)
    (out / name / "cdk.tf.json").write_text(json.dumps(document))


def stacks(out: Path, subnet_cidr: str) -> Path:
    provider = {"aws": [{"region": "eu-west-1"}]}
    write(
        out,
        "state",
        {
            "terraform": {
                "required_providers": {"aws": {"source": "aws", "version": "6.25.0"}},
                "backend": {"local": {"path": "state.tfstate"}},
            },
            "provider": provider,
            "resource": {
                "aws_s3_bucket": {"state": {"bucket": BUCKET}},
                "aws_kms_key": {"state": {"description": "state"}},
                "aws_kms_alias": {
                    "state": {"name": "alias/emulated-tfstate", "target_key_id": "${aws_kms_key.state.key_id}"}
                },
            },
        },
    )
    write(
        out,
        "network",
        {
            "terraform": {
                "required_providers": {"aws": {"source": "aws", "version": "6.25.0"}},
                "backend": {
                    "s3": {
                        "bucket": BUCKET,
                        "key": "network/terraform.tfstate",
                        "region": "eu-west-1",
                        "encrypt": True,
                        "kms_key_id": "alias/emulated-tfstate",
                        "use_lockfile": True,
                    }
                },
            },
            "provider": provider,
            "resource": {
                "aws_vpc": {"vpc": {"cidr_block": "10.0.0.0/16"}},
                "aws_subnet": {"private": {"vpc_id": "${aws_vpc.vpc.id}", "cidr_block": subnet_cidr}},
            },
        },
    )
    return out


def test_the_state_stack_then_a_stack_keeping_its_state_in_that_bucket_apply(tmp_path, capsys):
    assert main(["--out", str(stacks(tmp_path, "10.0.1.0/24")), "--moto", str(MOTO)]) == 0
    printed = capsys.readouterr().out
    assert "applying state, network in that order" in printed
    assert "network: applied: created 2 of 2 planned, 2 in its state" in printed


def test_what_the_api_refuses_fails_the_stack_with_the_providers_error(tmp_path, capsys):
    assert main(["--out", str(stacks(tmp_path, "10.1.0.0/24")), "--moto", str(MOTO)]) == 1
    printed = capsys.readouterr().out
    assert "network: FAILED" in printed and "InvalidSubnet.Range" in printed
