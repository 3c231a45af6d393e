package main

// After each push, the Git server tells a CD system what changed as a Git host does: one GitHub "push" event per
// updated ref, signed with the shared secret (X-Hub-Signature-256), POSTed to PUSH_WEBHOOK_URL. ArgoCD's
// /api/webhook takes it and refreshes every Application that follows the ref at once, instead of at its next poll.
// The recent deliveries (like a Git host's "Recent Deliveries") are served at /deliveries for whoever checks them.

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

const (
	keptDeliveries = 50
	noCommit       = "0000000000000000000000000000000000000000" // the side of a created or deleted ref, as Git hosts send it
)

// notifier sends push events to url. publicURL is the base URL clients name the repositories by (the receiver
// matches it against the repository URLs its applications follow); caFile, when set, is the PEM the receiver's TLS
// certificate is checked against, read at each delivery (it may appear after the server starts).
type notifier struct {
	url, secret, publicURL, caFile string
	timeout                        time.Duration

	mu         sync.Mutex
	deliveries []delivery
}

type delivery struct {
	At         time.Time `json:"at"`
	Repository string    `json:"repository"`
	Ref        string    `json:"ref"`
	Before     string    `json:"before"`
	After      string    `json:"after"`
	Status     int       `json:"status"`
	Error      string    `json:"error,omitempty"`
}

// refs maps each ref of the bare repository dir to the commit it names.
func refs(dir string) (map[string]string, error) {
	out, err := exec.Command("git", "-C", dir, "for-each-ref", "--format=%(refname) %(objectname)").Output()
	if err != nil {
		return nil, fmt.Errorf("listing the refs of %s: %w", dir, err)
	}
	found := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if name, commit, ok := strings.Cut(line, " "); ok {
			found[name] = commit
		}
	}
	return found, nil
}

// changed lists (ref, before, after) for every ref a push created, moved or deleted; a missing side is zeros.
func changed(before, after map[string]string) [][3]string {
	var updates [][3]string
	for ref, commit := range after {
		if before[ref] != commit {
			old := before[ref]
			if old == "" {
				old = noCommit
			}
			updates = append(updates, [3]string{ref, old, commit})
		}
	}
	for ref, commit := range before {
		if _, kept := after[ref]; !kept {
			updates = append(updates, [3]string{ref, commit, noCommit})
		}
	}
	return updates
}

// changedFiles lists the paths that differ between two commits of the bare repository dir; nil when either side is
// missing (a new or deleted ref: the receiver then takes everything as changed, as for a push without a list).
func changedFiles(dir string, update [3]string) []string {
	if update[1] == noCommit || update[2] == noCommit {
		return nil
	}
	out, err := exec.Command("git", "-C", dir, "diff", "--name-only", "--no-renames", update[1], update[2]).Output()
	if err != nil {
		return nil
	}
	return strings.Fields(string(out))
}

// pushEvent is the part of GitHub's push event payload a CD system reads. The changed files travel as one commit's
// "modified" list: a receiver that refreshes only what a push touched (ArgoCD's manifest-generate-paths) reads the
// union of every commit's lists.
func (n *notifier) pushEvent(name, defaultBranch string, update [3]string, files []string) ([]byte, error) {
	web := strings.TrimSuffix(n.publicURL, "/") + "/" + name
	commits := []any{}
	if len(files) > 0 {
		commits = append(commits, map[string]any{"id": update[2], "added": []string{}, "removed": []string{},
			"modified": files})
	}
	return json.Marshal(map[string]any{
		"ref": update[0], "before": update[1], "after": update[2],
		"created": update[1] == noCommit, "deleted": update[2] == noCommit,
		"repository": map[string]string{"name": name, "full_name": name, "html_url": web,
			"clone_url": web + ".git", "default_branch": defaultBranch},
		"commits": commits,
	})
}

func (n *notifier) client() (*http.Client, error) {
	config := &tls.Config{MinVersion: tls.VersionTLS12}
	if n.caFile != "" {
		pem, err := os.ReadFile(n.caFile)
		if err != nil {
			return nil, fmt.Errorf("reading the receiver's certificate %s: %w", n.caFile, err)
		}
		config.RootCAs = x509.NewCertPool()
		if !config.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", n.caFile)
		}
	}
	return &http.Client{Timeout: n.timeout, Transport: &http.Transport{TLSClientConfig: config}}, nil
}

// send delivers one event and records the outcome.
func (n *notifier) send(name, defaultBranch string, update [3]string, files []string) {
	record := delivery{At: time.Now().UTC(), Repository: name, Ref: update[0], Before: update[1], After: update[2]}
	err := func() error {
		body, err := n.pushEvent(name, defaultBranch, update, files)
		if err != nil {
			return err
		}
		client, err := n.client()
		if err != nil {
			return err
		}
		request, err := http.NewRequest(http.MethodPost, n.url, bytes.NewReader(body))
		if err != nil {
			return err
		}
		request.Header.Set("Content-Type", "application/json")
		request.Header.Set("X-GitHub-Event", "push")
		if n.secret != "" {
			mac := hmac.New(sha256.New, []byte(n.secret))
			mac.Write(body)
			request.Header.Set("X-Hub-Signature-256", "sha256="+hex.EncodeToString(mac.Sum(nil)))
		}
		response, err := client.Do(request)
		if err != nil {
			return err
		}
		defer response.Body.Close()
		record.Status = response.StatusCode
		if response.StatusCode/100 != 2 {
			return fmt.Errorf("%s answered %s", n.url, response.Status)
		}
		return nil
	}()
	if err != nil {
		record.Error = err.Error()
		fmt.Fprintf(os.Stderr, "push event %s %s -> %s: %v\n", name, update[0], n.url, err)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.deliveries = append(n.deliveries, record)
	if len(n.deliveries) > keptDeliveries {
		n.deliveries = n.deliveries[len(n.deliveries)-keptDeliveries:]
	}
}

// notifying wraps the Git backend: a push (POST .../git-receive-pack) is followed by one event per updated ref,
// sent in the background so the pusher does not wait for the receiver.
func (n *notifier) notifying(root string, backend http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		repo, isPush := strings.CutSuffix(r.URL.Path, "/git-receive-pack")
		if n == nil || r.Method != http.MethodPost || !isPush {
			backend.ServeHTTP(w, r)
			return
		}
		dir := root + "/" + strings.Trim(repo, "/")
		before, err := refs(dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		backend.ServeHTTP(w, r)
		after, err := refs(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		name := strings.TrimSuffix(strings.Trim(repo, "/"), ".git")
		head, _ := exec.Command("git", "-C", dir, "symbolic-ref", "--short", "HEAD").Output()
		for _, update := range changed(before, after) {
			go n.send(name, strings.TrimSpace(string(head)), update, changedFiles(dir, update))
		}
	})
}

func (n *notifier) recent() []delivery {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]delivery{}, n.deliveries...)
}

func (n *notifier) serveDeliveries(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(n.recent())
}
