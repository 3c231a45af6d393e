//go:build tools

// Package build pins the OpenTofu command used by `cdktf deploy` where no Terraform release can be downloaded.
package build

import _ "github.com/opentofu/opentofu/cmd/tofu"
