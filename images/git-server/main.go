// git-server: the Git repository ArgoCD syncs from on kind. git's own smart-HTTP backend (git-http-backend, from
// Debian's git) behind net/http/cgi, serving the bare repositories under GIT_PROJECT_ROOT. It creates the
// repositories REPOSITORIES names (comma-separated) at start, with pushes allowed: only the kind node's published
// NodePort reaches it from outside the cluster, and the tooling that pushes the working tree is on that host.
package main

import (
	"fmt"
	"log"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

const backend = "/usr/lib/git-core/git-http-backend"

// initRepositories makes each named bare repository under root unless it exists, accepting pushes over HTTP.
func initRepositories(root string, names []string) error {
	for _, name := range names {
		dir := filepath.Join(root, name+".git")
		if _, err := os.Stat(filepath.Join(dir, "HEAD")); err == nil {
			continue
		}
		for _, args := range [][]string{
			{"init", "--quiet", "--bare", dir},
			{"-C", dir, "config", "http.receivepack", "true"},
			// A force push replaces the branch with the working tree's state: history need not be kept.
			{"-C", dir, "config", "receive.denyNonFastForwards", "false"},
		} {
			if out, err := exec.Command("git", args...).CombinedOutput(); err != nil {
				return fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, out)
			}
		}
	}
	return nil
}

// handler serves /healthz and every repository under root through git-http-backend.
func handler(root, backendPath string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if _, err := os.Stat(root); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("/", &cgi.Handler{
		Path: backendPath,
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"},
		// git reads its configuration from HOME; the backend runs as the server's user.
		InheritEnv: []string{"HOME", "PATH"},
	})
	return mux
}

func main() {
	root := envOr("GIT_PROJECT_ROOT", "/srv/git")
	names := strings.FieldsFunc(envOr("REPOSITORIES", ""), func(r rune) bool { return r == ',' })
	if err := initRepositories(root, names); err != nil {
		log.Fatalf("creating the repositories under %s: %v", root, err)
	}
	addr := envOr("LISTEN", ":8080")
	log.Printf("serving %v from %s on %s", names, root, addr)
	log.Fatal(http.ListenAndServe(addr, handler(root, backend)))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
