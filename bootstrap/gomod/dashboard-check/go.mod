// Dashboard schema check (`make tools` builds it; tests/charts/test_dashboards.py runs it): the Grafana Foundation
// SDK's strict decoder of Grafana's dashboard schema, pinned in contract/pins.py (GRAFANA_FOUNDATION_SDK).
module voiceplat.local/build/dashboard-check

go 1.24.0

require github.com/grafana/grafana-foundation-sdk/go v0.0.22
