//go:build tools

// Package build pins the etcd server built into the kind node image.
package build

import _ "go.etcd.io/etcd/server/v3"
