# GitOps on kind (stacks/delivery/gitops.py, bootstrap/gitops.py, localenv/gitops.py): the production delivery path,
# ArgoCD syncing the charts from an in-cluster Git server. ArgoCD is built only by these targets, not by `make
# tools`: its compile (about 8 min cold on 2 cores) would push CI's cold run past its budget.
.PHONY: gitops-tools up-gitops e2e-gitops bench-gitops

gitops-tools: tools ##@plumbing ArgoCD, its Redis and the in-cluster Git server (cached by version; not part of `make tools`)
	python3 -m bootstrap gitops-tools

up-gitops: gitops-tools ##@local `make up` delivered through ArgoCD (VOICEPLAT_DELIVERY=gitops); prints ArgoCD's admin login
	VOICEPLAT_DELIVERY=gitops $(MAKE) up

e2e-gitops: gitops-tools venv node ##@tests the gitops claims on a fresh kind cluster delivered through ArgoCD (nightly)
	VOICEPLAT_DELIVERY=gitops $(PY) -m pytest e2e -c e2e/pytest.ini -m gitops \
		--junitxml=artifacts/e2e-gitops/junit.xml $(E2E_ARGS)

bench-gitops: gitops-tools venv node ##@bench GitOps figures: commit -> rolled out vs the refresh floor (last e2e-gitops run); deploy through ArgoCD vs Helm
	VOICEPLAT_DELIVERY=gitops $(MAKE) cluster
	$(PY) bench/gitops.py
BENCH_TARGETS += bench-gitops
