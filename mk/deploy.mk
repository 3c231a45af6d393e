# Platform delivery (stacks/delivery): `cdktf deploy local` onto the kind cluster, `make up` / `make down`, and
# its speed. The cloud stacks render the charts' adapter rules with the pinned helm at synth time, so synthesis
# needs `make helm` (the unit tests too: Makefile).

.PHONY: deploy bench-deploy

synth: helm

deploy: venv cluster node ##@local cdktf deploy local onto the kind cluster (offline: OpenTofu and providers built by make tools)
	$(PY) -m localenv deploy

# `make up` and `make down` are described where a newcomer starts reading: at the top of the Makefile.
up: venv tools cluster node
	$(PY) -m localenv up

down: venv
	$(PY) -m localenv down

BENCH_TARGETS += bench-deploy
bench-deploy: venv cluster node ##@bench cdktf deploy local on a warm cluster and a no-change redeploy, beside helm upgrade --install
	$(PY) bench/deploy.py
