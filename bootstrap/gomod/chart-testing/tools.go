//go:build tools

// Package build pins chart-testing (`ct lint`), run by `make chart-test`.
package build

import _ "github.com/helm/chart-testing/v3/ct"
