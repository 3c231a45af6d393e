# Local environment on kind: tools, cluster, end-to-end suite. Owned by bootstrap/ and e2e/.
.PHONY: docker cluster cluster-down e2e e2e-faults smoke bench-kind

docker: ##@plumbing a Docker engine that can run kind nodes (installs and starts dockerd when none runs)
	python3 -m bootstrap docker

cluster: tools ##@local boot the local kind cluster (3 nodes, fake GPU node, metrics-server); idempotent
	$(PY) -m bootstrap cluster-up

cluster-down: venv ##@local delete the local kind cluster
	$(PY) -m bootstrap cluster-down

E2E_ARGS ?=
e2e: tools ##@tests the end-to-end suite on a fresh kind cluster (E2E_ARGS="-m smoke --keep-cluster" to narrow)
	$(PY) -m pytest e2e -c e2e/pytest.ini --junitxml=artifacts/e2e/junit.xml $(E2E_ARGS)

e2e-faults: tools ##@tests the drills on the 5-node topology, node faults included (nightly; the 3-node default skips those)
	$(PY) -m pytest e2e -c e2e/pytest.ini -m drills --kind-topology faults --junitxml=artifacts/e2e/junit.xml $(E2E_ARGS)

smoke: tools ##@tests only the cluster smoke tests
	$(MAKE) e2e E2E_ARGS="-m smoke $(E2E_ARGS)"

CLUSTER_TEST_TARGETS += e2e

bench-kind: tools ##@bench warm/cold make tools, kind create (3 nodes vs 1), cache disk use
	$(PY) bench/kind.py
BENCH_TARGETS += bench-kind

bench-e2e: venv ##@bench e2e suite: wall time, phases, claims, scale-out seconds beside the floor (last run's record, else runs -m scale)
	$(PY) bench/e2e.py
BENCH_TARGETS += bench-e2e
# The suite runs in the virtualenv and deploys with `cdktf deploy local` (stacks/delivery): the pinned cdktf-cli.
e2e e2e-faults: venv node
