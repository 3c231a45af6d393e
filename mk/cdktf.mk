# CDK for Terraform app (cdktf.json, main.py, stacks/): synthesis of the environments' stacks and its speed.
# Unit tests of the stacks run in `make unit` (tests/stacks/, a folder per package of stacks/).

# The pinned Node 20 is past end-of-life; jsii would print a banner in every synth.
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION := 20
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

# `tofu validate` of the synthesized stacks with the real providers. The AWS and azurerm providers are built here
# on first use (tens of minutes each on two cores, cached after), never by `make tools`; the nightly runs it.
VALIDATE_SYNTH ?= 1
.PHONY: validate-cloud
validate-cloud: venv node tools ##@cloud tofu validate of every stack with the real AWS/azurerm providers (STACKS=prod-eu for some)
	$(PY) -m cloudvalidate $(if $(filter 1,$(VALIDATE_SYNTH)),--synth) $(if $(STACKS),--stacks $(STACKS))

# A first deploy of the AWS stacks applied against an AWS API emulator (moto server): the order of creation, the
# provider's checks at the API, the state bucket and each environment's S3 backend on it. Reuses the AWS provider
# `make validate-cloud` builds; moto lives in a virtualenv of its own. The nightly runs it after validate-cloud.
MOTO_VERSION := 5.2.5
.PHONY: moto emulate-aws
moto: .venv-moto/.installed ##@plumbing AWS API emulator (moto server), isolated from the project's dependencies
.venv-moto/.installed: mk/cdktf.mk
	python3 -m venv .venv-moto
	.venv-moto/bin/pip install -q 'moto[server]==$(MOTO_VERSION)'
	touch $@

emulate-aws: venv node tools moto ##@cloud apply the AWS stacks against moto: state bucket, backends, network, IAM, EKS (STACKS=prod-eu for some)
	$(PY) -m cloudemulate --moto $(CURDIR)/.venv-moto/bin/moto_server $(if $(filter 1,$(VALIDATE_SYNTH)),--synth) $(if $(STACKS),--stacks $(STACKS))
