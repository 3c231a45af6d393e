# CDK for Terraform app (cdktf.json, main.py, stacks/): synthesis of the environments' stacks and its speed.
# Unit tests of the stacks run in `make unit` (tests/test_env_*, test_aws_*, test_azure_*, test_main_*,
# test_checkov, test_stack_secrets).

# The pinned Node 20 is past end-of-life; jsii would print a banner in every synth.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
# No update check or telemetry from the cdktf CLI.
export CHECKPOINT_DISABLE := 1

BENCH_TARGETS += bench-synth

.PHONY: bench-synth

# The unit run scans every synthesized stack with checkov.
unit: checkov

STACKS ?=
synth: venv node ## cdktf synth of every environment's stack into cdktf.out/ (STACKS=prod-eu,local for some)
	$(if $(STACKS),VOICEPLAT_STACKS=$(STACKS)) cdktf synth

bench-synth: venv node ## synth prod-eu beside the floor (node+jsii+AWS bindings) and an all-providers baseline
	$(PY) bench/synth.py
