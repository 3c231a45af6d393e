# The stand-in workload (images/standin) and the load tests (loadtests/, charts/locust).

STANDIN_DIR := images/standin
STANDIN_BIN := $(STANDIN_DIR)/build/standin
STANDIN_IMAGE ?= voiceplat/standin:dev
STANDIN_VERSION ?= dev
STANDIN_SOURCES := $(wildcard $(STANDIN_DIR)/*.go) $(STANDIN_DIR)/go.mod $(STANDIN_DIR)/go.sum

.PHONY: standin-binary standin-image

standin-binary: $(STANDIN_BIN) ##@plumbing static stand-in workload binary (images/standin/build/standin)
$(STANDIN_BIN): $(STANDIN_SOURCES)
	cd $(STANDIN_DIR) && CGO_ENABLED=0 go build -trimpath -buildvcs=false \
		-ldflags "-s -w -X main.version=$(STANDIN_VERSION)" -o build/standin .

standin-image: $(STANDIN_BIN) ##@plumbing stand-in image voiceplat/standin:dev from the binary (needs a Docker engine)
	docker build -q -f $(STANDIN_DIR)/Dockerfile -t $(STANDIN_IMAGE) $(dir $(STANDIN_BIN))

# make loadtest ENV=<loadtests/environments/*.toml> SHAPE=<loadtests/shapes/*.py> [WORKERS=N] [KUBE_CONTEXT=ctx]
# WORKERS=0 runs one locust process here; WORKERS=N installs charts/locust (master + N workers) into the cluster
# of KUBE_CONTEXT (default: kubectl's current context). LOADTEST_ARGS passes more options, e.g. "--host URL".
ENV ?=
SHAPE ?= smoke
WORKERS ?= 0
KUBE_CONTEXT ?=
LOADTEST_ARGS ?=

BENCH_TARGETS += bench-loadtest

.PHONY: loadtest bench-loadtest
loadtest: venv $(if $(filter-out 0,$(WORKERS)),tools) ##@tests headless load test ENV=preview-eu SHAPE=ramp [WORKERS=N]; reports in artifacts/loadtest/<time>/
	$(PY) -m loadtests.run --env="$(ENV)" --shape="$(SHAPE)" --workers=$(WORKERS) \
		$(if $(KUBE_CONTEXT),--kube-context="$(KUBE_CONTEXT)") $(LOADTEST_ARGS)

bench-loadtest: venv $(STANDIN_BIN) ##@bench rps of one locust process vs the stand-in on loopback (and kind: LOADTEST_BENCH_KIND_URL)
	$(PY) bench/loadtest.py

TEST_TARGETS += loadtest-chart-test
.PHONY: loadtest-chart-test
loadtest-chart-test: tools ##@tests charts/locust: kubeconform, restricted profile, workers, mounted loadtests/, bad values
	$(PY) -m pytest tests/loadtests -m slow -q -p no:cacheprovider

# The CI smoke on kind: the smoke shape (one minute) against the stand-in REST API through NodePort
# 30080 with the SLO gate of loadtests/environments/local.toml, then the same distributed over two workers
# in the cluster. Needs the platform deployed on the local kind cluster with the e2e values; it joins
# CLUSTER_TEST_TARGETS once a target deploys that platform outside the e2e session.
.PHONY: loadtest-kind-smoke
loadtest-kind-smoke: tools ##@tests smoke load test on kind: single process via the NodePort, then 2 workers in the cluster
	$(PY) -m loadtests.run --env=local --shape=smoke
	$(PY) -m loadtests.run --env=local --shape=smoke --workers=2
