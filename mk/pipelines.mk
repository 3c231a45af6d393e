# CI pipelines (.github/workflows/, pipelines/): the workflows' lint, the checks a pull request runs, and one cloud
# environment's diff and deploy as the workflows run them. pipelines/'s unit tests run in `make unit` (tests/pipelines).

TEST_TARGETS += workflow-lint

.PHONY: workflow-lint checks stack-diff stack-deploy

workflow-lint: tools ##@tests GitHub Actions workflows: actionlint (pinned, built by make tools) over .github/workflows/
	actionlint $(wildcard .github/workflows/*.yml)

# $(MAKE) expands TEST_TARGETS when it runs, after every mk/*.mk appended to it: this stays `make test` minus
# the cluster tests whatever file adds a check.
checks: ##@tests every check of `make test` except the kind cluster tests (what the pull-request workflow runs)
	$(MAKE) $(TEST_TARGETS)

# One cloud environment's stack: OpenTofu from `make tools`, providers from the registry (online), credentials
# from the environment (OIDC in CI; a profile or `az login` at a desk).
STACK_CDKTF = VOICEPLAT_STACKS=$(STACKS) TERRAFORM_BINARY_NAME=$(VOICEPLAT_CACHE)/bin/tofu cdktf
comma := ,
NEED_ONE_STACK = $(if $(filter-out 1,$(words $(subst $(comma), ,$(STACKS)))),$(error name one environment: \
	STACKS=<one of stacks/environments/catalog.py>, e.g. STACKS=prod-eu))

stack-diff: venv node tools ##@cloud cdktf diff of one cloud environment (STACKS=prod-eu; cloud credentials in the environment)
	$(NEED_ONE_STACK)$(STACK_CDKTF) diff $(STACKS)

# Synthesizes the one stack, plans it and applies that plan only when it changes something (bootstrap/converge.py):
# the same as `cdktf deploy <env> --auto-approve`, with a plan of no changes skipping the apply.
stack-deploy: venv node tools ##@cloud plan one cloud environment, apply only a plan with changes, no prompt (STACKS=prod-eu; the deliver workflow's)
	$(NEED_ONE_STACK)$(STACK_CDKTF) synth
	$(PY) -m bootstrap.converge cdktf.out/stacks/$(STACKS)
