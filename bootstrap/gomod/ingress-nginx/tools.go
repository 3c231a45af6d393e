//go:build tools

// Package build pins the ingress-nginx controller and its pre-stop helper (bootstrap/ingress.py).
package build

import (
	_ "k8s.io/ingress-nginx/cmd/nginx"
	_ "k8s.io/ingress-nginx/cmd/waitshutdown"
)
