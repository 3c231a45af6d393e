# The project's own Go programs (images/*: the stand-in workload, the fake GPU device plugin, the alert receiver,
# the in-cluster Git server). The bootstrap builds their binaries and images (bootstrap/toolchain.py,
# bootstrap/gitops.py); this file checks their code: go vet and go test of every module, in `make test`.

# Every Go module under images/; `make go-test GO_MODULES=images/standin` checks one.
GO_MODULES ?= $(patsubst %/go.mod,%,$(wildcard images/*/go.mod))
# The Go environment the bootstrap builds these modules with (bootstrap/cache.py): its module and build caches,
# so each dependency is fetched once per machine, and go.mod as the module's requirements (-mod=mod).
IMAGES_GO := GOMODCACHE=$(VOICEPLAT_CACHE)/go/mod GOCACHE=$(VOICEPLAT_CACHE)/go/build GOFLAGS=-mod=mod CGO_ENABLED=0 go

TEST_TARGETS += go-test

.PHONY: go-test

go-test: ##@tests go vet and go test of every Go module under images/ (stand-in, fake GPU plugin, alert receiver, Git server)
	@for module in $(GO_MODULES); do echo "go vet, go test: $$module"; \
		(cd $$module && $(IMAGES_GO) vet ./... && $(IMAGES_GO) test -count=1 ./...) || exit 1; \
	done
