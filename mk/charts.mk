# Helm charts (charts/, except charts/locust): chart tests, golden files, the library's shared blocks, speed.
# checkov is the Makefile's (`make checkov`, its own virtualenv); the chart tests find it through CHECKOV.

TEST_TARGETS += chart-test
BENCH_TARGETS += bench-charts

.PHONY: chart-test chart-sync chart-snapshots-update bench-charts

chart-test: tools checkov ## charts: helm lint, kubeconform, policy, scheduling, golden files, checkov, bad values
	CHECKOV=$(CHECKOV) $(PY) -m pytest tests/charts -q -p no:cacheprovider

chart-sync: venv ## copy the library's shared values block and schema definitions into every chart
	$(PY) tests/charts/chartsync.py

chart-snapshots-update: tools ## rewrite the charts' golden files from the charts (review the diff, then commit)
	$(PY) tests/charts/chartsnapshots.py

bench-charts: tools ## render every chart x scenario, beside N renders of the smallest chart (target <= 10 s)
	$(PY) bench/charts.py
