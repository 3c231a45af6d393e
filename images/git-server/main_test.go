package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_TERMINAL_PROMPT=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func backendPath(t *testing.T) string {
	out, err := exec.Command("git", "--exec-path").Output()
	if err != nil {
		t.Skipf("git is not installed: %v", err)
	}
	return filepath.Join(strings.TrimSpace(string(out)), "git-http-backend")
}

// gitServer serves a fresh "voiceplat" repository; pushes are announced by n unless it is nil.
func gitServer(t *testing.T, n *notifier) string {
	root := t.TempDir()
	if err := initRepositories(root, []string{"voiceplat"}); err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler(root, backendPath(t), n))
	t.Cleanup(server.Close)
	return server.URL
}

// pushedBranch pushes a first commit of a new work tree to deploy/local at url: (the work tree, the commit).
func pushedBranch(t *testing.T, url string) (string, string) {
	work := t.TempDir()
	git(t, work, "init", "--quiet", "-b", "main")
	os.WriteFile(filepath.Join(work, "values.yaml"), []byte("replicas: 1\n"), 0o644)
	git(t, work, "add", ".")
	git(t, work, "commit", "--quiet", "-m", "first")
	git(t, work, "push", "--quiet", url, "HEAD:refs/heads/deploy/local")
	return work, git(t, work, "rev-parse", "HEAD")
}

// A pushed branch is what a clone gets back, and a second push may replace it (force).
func TestPushThenClone(t *testing.T) {
	url := gitServer(t, nil) + "/voiceplat.git"
	work, _ := pushedBranch(t, url)

	os.WriteFile(filepath.Join(work, "values.yaml"), []byte("replicas: 2\n"), 0o644)
	git(t, work, "commit", "--quiet", "--amend", "-am", "rewritten")
	git(t, work, "push", "--quiet", "--force", url, "HEAD:refs/heads/deploy/local")

	clone := filepath.Join(t.TempDir(), "clone")
	git(t, work, "clone", "--quiet", "--branch", "deploy/local", url, clone)
	got, _ := os.ReadFile(filepath.Join(clone, "values.yaml"))
	if string(got) != "replicas: 2\n" {
		t.Fatalf("cloned values.yaml = %q, want the force-pushed content", got)
	}
}

// Starting again over existing repositories keeps them.
func TestInitKeepsExistingRepositories(t *testing.T) {
	root := t.TempDir()
	for i := 0; i < 2; i++ {
		if err := initRepositories(root, []string{"voiceplat"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "voiceplat.git", "HEAD")); err != nil {
		t.Fatal(err)
	}
}

func TestHealthz(t *testing.T) {
	recorder := httptest.NewRecorder()
	handler(t.TempDir(), "/nonexistent", nil).ServeHTTP(recorder, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if recorder.Code != http.StatusOK {
		t.Fatalf("healthz = %d", recorder.Code)
	}
}
