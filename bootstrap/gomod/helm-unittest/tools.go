//go:build tools

// Package build pins helm-unittest (per-template chart tests), run by `make chart-test`.
package build

import _ "github.com/helm-unittest/helm-unittest/cmd/helm-unittest"
