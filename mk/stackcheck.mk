# Checks of the synthesized stacks (stackcheck/; tests in tests/stackcheck/, run by `make unit`): upstream-check,
# validate-cloud and emulate-aws. Each reads the stacks `make synth` writes into cdktf.out/stacks.

# Upstream charts (stackcheck/upstream/): the pinned repository charts rendered with the values the stacks
# synthesize, their unknown values keys reported and every object dry-run against a real API server.

.PHONY: upstream-check

UPSTREAM_CHARTS ?=
UPSTREAM_KUBECONFIG ?=
# 0: check the stacks already in cdktf.out (the pull-request job has just synthesized them).
UPSTREAM_SYNTH ?= 1

upstream-check: venv node tools ##@cloud upstream charts x synthesized values: unknown keys, server dry-run (UPSTREAM_CHARTS=<dir>; STACKS=prod-eu for some)
	$(PY) -m stackcheck.upstream $(if $(filter 1,$(UPSTREAM_SYNTH)),--synth) \
	  $(if $(UPSTREAM_CHARTS),--charts $(UPSTREAM_CHARTS)) \
	  $(if $(STACKS),--stacks $(STACKS)) \
	  $(if $(UPSTREAM_KUBECONFIG),--kubeconfig $(UPSTREAM_KUBECONFIG))

# Cloud providers (stackcheck/validate/): `tofu validate` of the synthesized stacks with the real providers. The
# AWS and azurerm providers are built here on first use (tens of minutes each on two cores, cached after), never by
# `make tools`; the nightly runs it.
VALIDATE_SYNTH ?= 1
.PHONY: validate-cloud
validate-cloud: venv node tools ##@cloud tofu validate of every stack with the real AWS/azurerm providers (STACKS=prod-eu for some)
	$(PY) -m stackcheck.validate $(if $(filter 1,$(VALIDATE_SYNTH)),--synth) $(if $(STACKS),--stacks $(STACKS))

# AWS emulation (stackcheck/emulate/): a first deploy of the AWS stacks applied against an AWS API emulator (moto
# server): the order of creation, the provider's checks at the API, the state bucket and each environment's S3
# backend on it. Reuses the AWS provider `make validate-cloud` builds; moto lives in a virtualenv of its own. The
# nightly runs it after validate-cloud.
MOTO_VERSION := 5.2.5
.PHONY: moto emulate-aws
moto: .venv-moto/.installed ##@plumbing AWS API emulator (moto server), isolated from the project's dependencies
.venv-moto/.installed: mk/stackcheck.mk
	python3 -m venv .venv-moto
	.venv-moto/bin/pip install -q 'moto[server]==$(MOTO_VERSION)'
	touch $@

emulate-aws: venv node tools moto ##@cloud apply the AWS stacks against moto: state bucket, backends, network, IAM, EKS (STACKS=prod-eu for some)
	$(PY) -m stackcheck.emulate --moto $(CURDIR)/.venv-moto/bin/moto_server $(if $(filter 1,$(VALIDATE_SYNTH)),--synth) $(if $(STACKS),--stacks $(STACKS))
