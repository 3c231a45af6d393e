# Helm charts (charts/, except charts/locust): chart tests, golden files, the library's shared blocks, speed.
# checkov lives in its own virtualenv: its pinned dependencies clash with the project's (pyproject.toml).

CHECKOV_VERSION := 3.3.30
CHECKOV_VENV := $(VOICEPLAT_CACHE)/venvs/checkov-$(CHECKOV_VERSION)
export CHECKOV := $(CHECKOV_VENV)/bin/checkov

TEST_TARGETS += chart-test
BENCH_TARGETS += bench-charts

.PHONY: chart-test chart-sync chart-snapshots-update bench-charts checkov

checkov: $(CHECKOV_VENV)/.installed ## checkov $(CHECKOV_VERSION) in its own virtualenv under $(VOICEPLAT_CACHE)
$(CHECKOV_VENV)/.installed:
	rm -rf $(CHECKOV_VENV)
	python3 -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q checkov==$(CHECKOV_VERSION)
	touch $@

chart-test: tools checkov ## charts: helm lint, kubeconform, policy, scheduling, golden files, checkov, bad values
	$(PY) -m pytest tests/charts -q -p no:cacheprovider

chart-sync: venv ## copy the library's shared values block and schema definitions into every chart
	$(PY) tests/charts/chartsync.py

chart-snapshots-update: tools ## rewrite the charts' golden files from the charts (review the diff, then commit)
	$(PY) tests/charts/snapshots.py

bench-charts: tools ## render every chart x scenario, beside N renders of the smallest chart (target <= 10 s)
	$(PY) bench/charts.py
