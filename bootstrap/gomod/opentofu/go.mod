// Wrapper module: OpenTofu's go.mod replaces hashicorp/hcl/v2 with its fork, which `go install` refuses;
// carrying the same replace here builds the same binary. cdktf runs it through TERRAFORM_BINARY_NAME.
module voiceplat.local/build/opentofu

go 1.24.6

require github.com/opentofu/opentofu v1.10.6

replace github.com/hashicorp/hcl/v2 v2.20.1 => github.com/opentofu/hcl/v2 v2.20.2-0.20250121132637-504036cd70e7
