// git-server: the Git repository ArgoCD syncs from on kind. git's own smart-HTTP backend (git-http-backend, from
// Debian's git) behind net/http/cgi, serving the bare repositories under GIT_PROJECT_ROOT. It creates the
// repositories REPOSITORIES names (comma-separated) at start, with pushes allowed: only the kind node's published
// NodePort reaches it from outside the cluster, and the tooling that pushes the working tree is on that host.
// With PUSH_WEBHOOK_URL set, each push is announced there as a Git host announces it (notify.go).
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
	"time"
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

// handler serves /healthz, /deliveries and every repository under root through git-http-backend; pushes are
// announced by n unless it is nil.
func handler(root, backendPath string, n *notifier) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if _, err := os.Stat(root); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /deliveries", func(w http.ResponseWriter, r *http.Request) {
		if n == nil {
			http.Error(w, "no push webhook configured (PUSH_WEBHOOK_URL)", http.StatusNotFound)
			return
		}
		n.serveDeliveries(w, r)
	})
	mux.Handle("/", n.notifying(root, &cgi.Handler{
		Path: backendPath,
		Env:  []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"},
		// git reads its configuration from HOME; the backend runs as the server's user.
		InheritEnv: []string{"HOME", "PATH"},
	}))
	return mux
}

func main() {
	root := envOr("GIT_PROJECT_ROOT", "/srv/git")
	names := strings.FieldsFunc(envOr("REPOSITORIES", ""), func(r rune) bool { return r == ',' })
	if err := initRepositories(root, names); err != nil {
		log.Fatalf("creating the repositories under %s: %v", root, err)
	}
	addr := envOr("LISTEN", ":8080")
	var n *notifier
	if url := os.Getenv("PUSH_WEBHOOK_URL"); url != "" {
		n = &notifier{url: url, secret: os.Getenv("PUSH_WEBHOOK_SECRET"), caFile: os.Getenv("PUSH_WEBHOOK_CA"),
			publicURL: envOr("PUBLIC_URL", "http://localhost"+addr), timeout: 10 * time.Second}
		log.Printf("announcing pushes to %s as %s/<repository>", url, n.publicURL)
	}
	log.Printf("serving %v from %s on %s", names, root, addr)
	log.Fatal(http.ListenAndServe(addr, handler(root, backend, n)))
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
