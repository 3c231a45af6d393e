//go:build tools

// Package build pins prometheus-operator and its config reloader, run on the kind cluster (`make up`, e2e).
package build

import (
	_ "github.com/prometheus-operator/prometheus-operator/cmd/operator"
	_ "github.com/prometheus-operator/prometheus-operator/cmd/prometheus-config-reloader"
)
