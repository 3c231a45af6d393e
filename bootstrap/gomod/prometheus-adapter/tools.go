//go:build tools

// Package build pins prometheus-adapter, run on the kind cluster (custom and external metrics API).
package build

import _ "sigs.k8s.io/prometheus-adapter/cmd/adapter"
