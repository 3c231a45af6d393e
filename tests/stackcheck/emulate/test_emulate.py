"""`make emulate-aws` (stackcheck/emulate/): what reaches the emulator, what is left out and why, the order of the
stacks, and how an apply's messages are read. The apply itself needs the AWS provider `make validate-cloud`
builds, so it runs in that target and the nightly, not here."""

import json

import pytest

from bootstrap.terraform import AWS, HELM
from bootstrap.tofu import Messages
from stackcheck.emulate.apply import Applied, apply, read_apply
from stackcheck.emulate.gaps import NEEDS_CLUSTER, left_out, not_evaluated, services, services_of, switched_off
from stackcheck.emulate.order import aws_stacks
from stackcheck.emulate.override import STATE_KEYS, carriers, emulation_override, required_variables

ENDPOINT = "https://localhost:4566"
BACKEND = {
    "s3": {
        "bucket": "voiceplat-infra-tfstate",
        "key": "prod-eu/terraform.tfstate",
        "region": "eu-west-1",
        "encrypt": True,
        "kms_key_id": "alias/voiceplat-tfstate",
        "use_lockfile": True,
    }
}


def environment(backend=BACKEND, **resources):
    return {
        "terraform": {
            "required_providers": {"aws": {"version": "6.25.0"}, "helm": {"version": "3.2.0"}},
            "backend": backend,
        },
        "provider": {"aws": [{"region": "eu-west-1"}, {"alias": "us", "region": "us-east-1"}]},
        "variable": {"cloudflare_tunnel_token": {"sensitive": True}, "argocd_url": {"default": ""}},
        "resource": {
            "aws_vpc": {"vpc": {}},
            "aws_eks_cluster": {"cluster": {}},
            "aws_eks_addon": {"vpc-cni": {}},
            "helm_release": {"temporal": {}},
            "terraform_data": {"key": {}},
            "aws_security_group_rule": {
                "runners": {"security_group_id": "${aws_eks_cluster.cluster.vpc_config[0].cluster_security_group_id}"},
                "own": {"security_group_id": "${aws_security_group.efs.id}"},
            },
            **resources,
        },
        "data": {"aws_caller_identity": {"me": {}}, "aws_eks_addon_version": {"vpc-cni": {}}},
    }


def state_stack():
    return {
        "terraform": {
            "required_providers": {"aws": {"version": "6.25.0"}},
            "backend": {"local": {"path": "../../../terraform.state-aws.tfstate"}},
        },
        "provider": {"aws": [{"region": "eu-west-1"}]},
        "resource": {"aws_s3_bucket": {"bucket": {"bucket": "voiceplat-infra-tfstate"}}, "aws_kms_key": {"key": {}}},
    }


def test_every_aws_provider_block_sends_the_stacks_services_to_the_emulator_and_keeps_its_alias():
    providers = emulation_override(environment(), ENDPOINT)["provider"]["aws"]
    assert [block.get("alias") for block in providers] == [None, "us"]
    for block in providers:
        assert block["endpoints"] == [dict.fromkeys(("ec2", "eks", "sts"), ENDPOINT)]
        assert block["insecure"] and block["skip_credentials_validation"]


def test_a_stack_asks_its_account_unless_it_manages_buckets_whose_tags_need_s3_control():
    (asks,) = {
        block["skip_requesting_account_id"] for block in emulation_override(environment(), ENDPOINT)["provider"]["aws"]
    }
    (state,) = emulation_override(state_stack(), ENDPOINT)["provider"]["aws"]
    assert asks is False and state["skip_requesting_account_id"] is True


def test_the_s3_backend_keeps_bucket_key_kms_and_lockfile_and_reaches_them_on_the_emulator():
    backend = emulation_override(environment(), ENDPOINT)["terraform"]["backend"]["s3"]
    assert {key: backend[key] for key in BACKEND["s3"]} == BACKEND["s3"]
    assert backend["endpoints"] == {"s3": ENDPOINT, "sts": ENDPOINT} and backend["use_path_style"]


def test_a_local_backend_keeps_its_state_in_the_work_folder_not_the_repository():
    assert emulation_override(state_stack(), ENDPOINT)["terraform"]["backend"] == {
        "local": {"path": "terraform.tfstate"}
    }


def test_each_gap_is_left_out_by_address_with_its_reason_and_the_rest_is_applied():
    gaps = {gap.address: gap.reason for gap in left_out(environment())}
    assert set(gaps) == {
        "aws_eks_addon.vpc-cni",
        "data.aws_eks_addon_version.vpc-cni",
        "helm_release.temporal",
        "aws_security_group_rule.runners",
    }
    assert gaps["helm_release.temporal"] == NEEDS_CLUSTER
    assert "cluster security group" in gaps["aws_security_group_rule.runners"]


def test_a_resource_of_a_service_the_emulation_does_not_route_is_refused_naming_it_and_the_fix():
    with pytest.raises(LookupError, match=r"aws_sqs_queue.*stackcheck/emulate/gaps.py SERVICES"):
        services(environment(aws_sqs_queue={"jobs": {}}))
    with pytest.raises(LookupError, match=r"azurerm_resource_group.*emulate their provider"):
        services(environment(azurerm_resource_group={"group": {}}))


def test_the_longest_prefix_names_the_service():
    assert services_of("aws_s3_bucket_policy") == ("s3", "s3control")
    assert services_of("aws_security_group_rule") == ("ec2",)


def test_a_variable_without_a_default_gets_a_value_and_one_with_a_default_keeps_it():
    assert required_variables(environment()) == {"cloudflare_tunnel_token": "emulated"}


def synthesized(folder, **documents):
    found = {}
    for name, made in documents.items():
        (folder / name).mkdir()
        (folder / name / "cdk.tf.json").write_text(json.dumps(made))
        found[name] = folder / name
    return found


def test_the_state_stack_comes_first_and_is_added_when_only_an_environment_is_named(tmp_path):
    found = synthesized(
        tmp_path,
        **{
            "prod-eu": environment(),
            "state-aws": state_stack(),
            "local": {"terraform": {"required_providers": {"helm": {}}}},
        },
    )
    assert aws_stacks(found, []) == (["state-aws", "prod-eu"], {"state-aws"})
    assert aws_stacks(found, ["prod-eu"]) == (["state-aws", "prod-eu"], {"state-aws"})


def test_an_environment_whose_state_bucket_no_stack_makes_is_refused_with_the_fix(tmp_path):
    found = synthesized(tmp_path, **{"prod-eu": environment()})
    with pytest.raises(
        SystemExit,
        match=r"prod-eu keeps its state in bucket voiceplat-infra-tfstate.*"
        r"STACKS=state-aws-<region>,prod-eu",
    ):
        aws_stacks(found, ["prod-eu"])


def test_an_apply_reads_as_planned_adds_creates_and_errors():
    messages = [
        {"type": "change_summary", "changes": {"add": 3, "operation": "plan"}},
        {"type": "apply_complete", "hook": {"action": "create", "resource": {"addr": "aws_vpc.vpc"}}},
        {"type": "apply_complete", "hook": {"action": "read", "resource": {"addr": "data.x.y"}}},
        {"type": "diagnostic", "diagnostic": {"severity": "warning", "summary": "Resource targeting"}},
        {
            "type": "diagnostic",
            "diagnostic": {
                "severity": "error",
                "summary": "creating EKS Cluster",
                "detail": "InvalidParameterException",
            },
        },
        {"type": "change_summary", "changes": {"add": 1, "operation": "apply"}},
    ]
    result, read = Applied("prod-eu", []), Messages()
    for line in [*(json.dumps(message) for message in messages), "not json"]:
        read.read(line)
    read_apply(read, result)
    assert (result.planned, result.created) == (3, 1)
    assert result.errors == ["creating EKS Cluster: InvalidParameterException"] and not result.ok


def test_a_stack_without_the_aws_provider_is_refused_naming_the_aws_stacks(tmp_path):
    found = synthesized(
        tmp_path,
        **{
            "prod-eu": environment(),
            "state-aws": state_stack(),
            "prod-eu-az": {"terraform": {"required_providers": {"azurerm": {}}}},
        },
    )
    with pytest.raises(
        SystemExit, match=r"prod-eu-az is no synthesized AWS stack \(the AWS stacks: prod-eu, state-aws\)"
    ):
        aws_stacks(found, ["prod-eu-az"])


def fake_tofu(tmp_path, apply_output: list[dict], apply_exit: int = 0) -> tuple[str, object]:
    """A stand-in for the tofu binary: records its arguments, prints `apply_output` as `apply -json` would."""
    calls, output = tmp_path / "calls", tmp_path / "apply-output"
    output.write_text("".join(json.dumps(message) + "\n" for message in apply_output))
    script = tmp_path / "tofu"
    script.write_text(f"""#!/bin/sh
echo "$@" >> {calls}
case "$1" in
  init) echo "Initializing the backend..."; exit 0;;
  apply) cat {output}; exit {apply_exit};;
  state) echo aws_vpc.vpc; echo aws_eks_cluster.cluster; exit 0;;
esac
""")
    script.chmod(0o755)
    return str(script), calls


def test_a_stack_is_applied_through_the_opentofu_runner_leaving_out_its_gaps(tmp_path):
    stacks = synthesized(tmp_path, **{"prod-eu": environment()})
    binary, calls = fake_tofu(
        tmp_path,
        [
            {"@message": "Plan: 2 to add", "type": "change_summary", "changes": {"add": 2, "operation": "plan"}},
            *[{"@message": "created", "type": "apply_complete", "hook": {"action": "create"}}] * 2,
        ],
    )
    work = tmp_path / "work"
    work.mkdir()
    result = apply(binary, stacks["prod-eu"], work, {"aws": AWS, "helm": HELM}, {}, ENDPOINT, STATE_KEYS)
    assert result.ok and (result.planned, result.created, result.in_state) == (2, 2, 2)
    assert calls.read_text().splitlines() == [
        "init -input=false -no-color",
        "apply -input=false -json -auto-approve -exclude-file=emulate.excludes",
        "state list",
    ]
    assert "helm_release.temporal" in (work / "prod-eu" / "emulate.excludes").read_text()


def test_a_failed_apply_reports_opentofus_error_diagnostics(tmp_path):
    stacks = synthesized(tmp_path, **{"prod-eu": environment()})
    binary, _ = fake_tofu(
        tmp_path,
        [
            {"@message": "Plan: 1 to add", "type": "change_summary", "changes": {"add": 1, "operation": "plan"}},
            {
                "@level": "error",
                "@message": "Error: creating EKS Cluster",
                "type": "diagnostic",
                "diagnostic": {
                    "severity": "error",
                    "summary": "creating EKS Cluster",
                    "detail": "InvalidParameterException",
                },
            },
        ],
        apply_exit=1,
    )
    work = tmp_path / "work"
    work.mkdir()
    result = apply(binary, stacks["prod-eu"], work, {"aws": AWS, "helm": HELM}, {}, ENDPOINT, STATE_KEYS)
    assert not result.ok and result.errors == ["creating EKS Cluster: InvalidParameterException"]


def global_stack():
    """A global entry reading prod-eu's outputs from its state, with its own state in the same bucket."""
    read = {"backend": "s3", "config": {"bucket": "voiceplat-infra-tfstate", "key": "prod-eu/terraform.tfstate"}}
    backend = {"s3": {**BACKEND["s3"], "key": "global-aws/terraform.tfstate"}}
    document = environment(backend, aws_route53_zone={"zone": {}})
    document["data"] = {"terraform_remote_state": {"region-prod-eu": read}}
    return document


def test_a_global_entry_comes_after_the_regions_whose_outputs_it_reads_which_are_added(tmp_path):
    found = synthesized(tmp_path, **{"a-global": global_stack(), "prod-eu": environment(), "state-aws": state_stack()})
    assert aws_stacks(found, []) == (["state-aws", "prod-eu", "a-global"], {"state-aws"})
    assert aws_stacks(found, ["a-global"]) == (["state-aws", "prod-eu", "a-global"], {"state-aws"})


def test_a_stack_reading_a_state_no_stack_writes_is_refused_with_the_fix(tmp_path):
    found = synthesized(tmp_path, **{"a-global": global_stack(), "state-aws": state_stack()})
    with pytest.raises(SystemExit, match=r"a-global reads the outputs of state prod-eu/terraform.tfstate"):
        aws_stacks(found, [])


def test_a_remote_state_read_goes_to_the_emulated_bucket_with_the_states_keys():
    override = emulation_override(global_stack(), ENDPOINT, ("AKIA", "secret"))
    config = override["data"]["terraform_remote_state"]["region-prod-eu"]["config"]
    assert config["bucket"] == "voiceplat-infra-tfstate" and config["key"] == "prod-eu/terraform.tfstate"
    assert (config["access_key"], config["endpoints"]) == (STATE_KEYS[0], {"s3": ENDPOINT, "sts": ENDPOINT})


def test_route53_and_acm_go_to_the_emulator():
    assert services_of("aws_route53_health_check") == ("route53",)
    assert services_of("aws_route53_record") == ("route53",)
    assert services_of("aws_route_table") == ("ec2",)
    assert services_of("aws_acm_certificate") == ("acm",)


def peering(name: str, runner: str) -> dict:
    """A runner path's peering, as stacks/runner/path_aws.py makes it (construct path and Name tag)."""
    made = {"//": {"metadata": {"path": f"{name}/runner-path/peering"}}, "tags": {"Name": f"{name}-to-{runner}"}}
    return {"aws_vpc_peering_connection": {"runner-path_peering": made}}


def runner_stack(name: str) -> dict:
    return environment({"s3": {**BACKEND["s3"], "key": f"{name}/terraform.tfstate"}}, aws_vpc={"runner": {}})


def test_a_region_is_applied_after_its_own_deploy_runner_only(tmp_path):
    found = synthesized(
        tmp_path,
        **{
            "prod-eu": environment(**peering("prod-eu", "runner-aws-eu-west-1")),
            "prod-us": environment(
                {"s3": {**BACKEND["s3"], "key": "prod-us/terraform.tfstate"}},
                **peering("prod-us", "runner-aws-us-east-1"),
            ),
            "runner-aws-eu-west-1": runner_stack("runner-aws-eu-west-1"),
            "runner-aws-us-east-1": runner_stack("runner-aws-us-east-1"),
            "state-aws": state_stack(),
        },
    )
    assert aws_stacks(found, ["prod-us"]) == (["state-aws", "runner-aws-us-east-1", "prod-us"], {"state-aws"})
    ordered, _ = aws_stacks(found, [])
    assert ordered == ["state-aws", "runner-aws-eu-west-1", "runner-aws-us-east-1", "prod-eu", "prod-us"]


def test_a_setting_the_emulator_cannot_apply_is_switched_off_in_the_emulated_copy_only():
    runner = environment(aws_instance={"runner": {"monitoring": True}, "quiet": {"monitoring": False}})
    assert [(s.address, s.setting) for s in switched_off(runner)] == [("aws_instance.runner", "monitoring")]
    assert emulation_override(runner, ENDPOINT)["resource"] == {"aws_instance": {"runner": {"monitoring": False}}}
    assert "resource" not in emulation_override(environment(), ENDPOINT)


def test_a_constant_output_is_carried_through_an_apply_that_excludes_the_gaps():
    # tofu writes only the outputs that depend on what an apply with -exclude applied; a global entry reads this one.
    stack = {
        **environment(),
        "output": {"public_hosts": {"value": {"api": "api.eu"}}, "vpc": {"value": "${aws_vpc.vpc.id}"}},
    }
    assert emulation_override(stack, ENDPOINT)["output"] == {
        "public_hosts": {"value": "${terraform_data.emulated-output-public_hosts.output}"}
    }
    assert carriers(stack) == {
        "resource": {"terraform_data": {"emulated-output-public_hosts": {"input": {"api": "api.eu"}}}}
    }
    assert carriers(environment()) == {} and "output" not in emulation_override(environment(), ENDPOINT)


def test_what_the_emulator_keeps_but_does_not_do_is_listed_as_not_evaluated():
    entry = environment(aws_route53_health_check={"eu": {}, "us": {}}, aws_route53_record={"api-eu": {}})
    found = not_evaluated(entry)
    assert {kind: count for kind, (count, _) in found.items()} == {
        "aws_route53_health_check": 2,
        "aws_route53_record": 1,
    }
    assert "never probes" in found["aws_route53_health_check"][1] and not_evaluated(environment()) == {}
