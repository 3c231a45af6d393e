# Helm charts (charts/, except charts/locust): chart tests, golden files, the library's shared blocks, speed.
# checkov is the Makefile's (`make checkov`, its own virtualenv); the chart tests find it through CHECKOV.

TEST_TARGETS += chart-test
BENCH_TARGETS += bench-charts

.PHONY: chart-test chart-sync chart-snapshots-update bench-charts

# ct finds chart_schema.yaml and lintconf.yaml here: `make tools` links the chart-testing module's etc/ folder.
CT_CONFIG_DIR := $(VOICEPLAT_CACHE)/etc/ct
# Every chart with helm-unittest suites (charts/<chart>/tests/*_test.yaml).
UNITTEST_CHARTS := $(patsubst %/tests,%,$(wildcard charts/*/tests))

chart-test: venv tools checkov ##@tests charts: ct lint, helm-unittest, kubeconform, policy, golden files, checkov, bad values
	CT_CONFIG_DIR=$(CT_CONFIG_DIR) ct lint --config ct.yaml
	helm-unittest $(UNITTEST_CHARTS)
	CHECKOV=$(CHECKOV) $(PY) -m pytest tests/charts -q -p no:cacheprovider

chart-sync: venv ##@plumbing copy the library's shared values block and schema definitions into every chart
	$(PY) tests/charts/chartsync.py

chart-snapshots-update: tools ##@plumbing rewrite the charts' golden files from the charts (review the diff, then commit)
	$(PY) tests/charts/chartsnapshots.py

bench-charts: tools ##@bench render every chart x scenario, beside N renders of the smallest chart (target <= 10 s)
	$(PY) bench/charts.py
