# Upstream charts (upstreamcheck/): the pinned repository charts rendered with the values the stacks synthesize,
# their unknown values keys reported and every object dry-run against a real API server. Unit tests of its logic
# run in `make unit` (tests/upstream/).

.PHONY: upstream-check

UPSTREAM_CHARTS ?=
UPSTREAM_KUBECONFIG ?=
# 0: check the stacks already in cdktf.out (the pull-request job has just synthesized them).
UPSTREAM_SYNTH ?= 1

upstream-check: venv node tools ##@cloud upstream charts x synthesized values: unknown keys, server dry-run (UPSTREAM_CHARTS=<dir>; STACKS=prod-eu for some)
	$(PY) -m upstreamcheck $(if $(filter 1,$(UPSTREAM_SYNTH)),--synth) \
	  $(if $(UPSTREAM_CHARTS),--charts $(UPSTREAM_CHARTS)) \
	  $(if $(STACKS),--stacks $(STACKS)) \
	  $(if $(UPSTREAM_KUBECONFIG),--kubeconfig $(UPSTREAM_KUBECONFIG))
