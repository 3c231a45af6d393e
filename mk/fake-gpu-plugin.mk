# The fake GPU device plugin (images/fake-gpu-plugin): it gives the kind cluster's fake GPU node real
# nvidia.com/gpu capacity and allocation. The bootstrap builds its binary and image; this file tests it.

FAKE_GPU_PLUGIN_SRC := images/fake-gpu-plugin
# The Go caches the bootstrap uses (bootstrap/cache.py), so each module is fetched once per machine.
FAKE_GPU_PLUGIN_GO := GOMODCACHE=$(VOICEPLAT_CACHE)/go/mod GOCACHE=$(VOICEPLAT_CACHE)/go/build \
	GOFLAGS=-mod=mod CGO_ENABLED=0 go

TEST_TARGETS += fake-gpu-plugin-test

.PHONY: fake-gpu-plugin-test

fake-gpu-plugin-test: ## fake GPU device plugin: go vet, go test against a fake kubelet on real unix sockets
	cd $(FAKE_GPU_PLUGIN_SRC) && $(FAKE_GPU_PLUGIN_GO) vet ./... && $(FAKE_GPU_PLUGIN_GO) test -count=1 ./...
