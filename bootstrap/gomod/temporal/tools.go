//go:build tools

// Package build pins what Temporal on kind runs: the server, its SQL schema tool (temporal-sql-tool) and the
// `temporal` CLI that registers namespaces, as the cloud chart's admin-tools image does.
package build

import (
	_ "github.com/temporalio/cli/cmd/temporal"
	_ "go.temporal.io/server/cmd/server"
	_ "go.temporal.io/server/cmd/tools/sql"
)
