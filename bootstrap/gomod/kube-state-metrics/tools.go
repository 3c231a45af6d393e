//go:build tools

// Package build pins kube-state-metrics, run on the kind cluster (the HPA and restart series the alerts use).
package build

import _ "k8s.io/kube-state-metrics/v2"
