# CDK for Terraform app (cdktf.json, main.py, stacks/): synthesis of the environments' stacks and its speed.
# Unit tests of the stacks run in `make unit` (tests/stacks/, a folder per package of stacks/).

# No update check or telemetry from the cdktf CLI.
export CHECKPOINT_DISABLE := 1

BENCH_TARGETS += bench-synth

.PHONY: bench-synth

# The unit run scans every synthesized stack with checkov.
unit: checkov

synth: venv node ##@cloud cdktf synth of every environment's stack into cdktf.out/ (STACKS=prod-eu,local for some)
	$(if $(STACKS),VOICEPLAT_STACKS=$(STACKS)) cdktf synth

bench-synth: venv node ##@bench synth prod-eu beside the floor (node+jsii+AWS bindings) and an all-providers baseline
	$(PY) bench/synth.py
