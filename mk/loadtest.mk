# The stand-in workload (images/standin) and the load tests (loadtests/, charts/locust).

STANDIN_DIR := images/standin
STANDIN_BIN := $(STANDIN_DIR)/build/standin
STANDIN_IMAGE ?= voiceplat/standin:dev
STANDIN_VERSION ?= dev
STANDIN_SOURCES := $(wildcard $(STANDIN_DIR)/*.go) $(STANDIN_DIR)/go.mod $(STANDIN_DIR)/go.sum

TEST_TARGETS += standin-test

.PHONY: standin-binary standin-image standin-test

standin-binary: $(STANDIN_BIN) ## static stand-in workload binary (images/standin/build/standin)
$(STANDIN_BIN): $(STANDIN_SOURCES)
	cd $(STANDIN_DIR) && CGO_ENABLED=0 go build -trimpath -buildvcs=false \
		-ldflags "-s -w -X main.version=$(STANDIN_VERSION)" -o build/standin .

standin-image: $(STANDIN_BIN) ## stand-in image $(STANDIN_IMAGE) (needs a Docker engine; `make tools` does this)
	docker build -q -f $(STANDIN_DIR)/Dockerfile -t $(STANDIN_IMAGE) $(dir $(STANDIN_BIN))

standin-test: ## go vet and go test of the stand-in workload
	cd $(STANDIN_DIR) && go vet ./... && go test -count=1 ./...
