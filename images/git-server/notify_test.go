package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type received struct {
	event, signature string
	body             []byte
}

// receiver is a TLS endpoint recording what reaches it (a CD system's webhook), answering status; its certificate
// is written to a PEM file for the notifier to trust.
func receiver(t *testing.T, status int) (*httptest.Server, string, chan received) {
	got := make(chan received, 4)
	server := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Header.Get("X-GitHub-Event"), r.Header.Get("X-Hub-Signature-256"), body}
		w.WriteHeader(status)
	}))
	t.Cleanup(server.Close)
	ca := filepath.Join(t.TempDir(), "tls.crt")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})
	if err := os.WriteFile(ca, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return server, ca, got
}

// delivered waits (bounded) for the push's delivery to be recorded: it is sent after the pusher has its answer.
func delivered(t *testing.T, n *notifier) []delivery {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if got := n.recent(); len(got) > 0 {
			return got
		}
	}
	t.Fatal("no delivery recorded within 10 s of the push")
	return nil
}

// A push is announced as GitHub announces it: a push event for the ref, signed with the shared secret, naming the
// repository by the URL its clients use; the delivery is listed at /deliveries.
func TestAPushIsAnnouncedAsASignedGitHubPushEvent(t *testing.T) {
	target, ca, got := receiver(t, http.StatusOK)
	n := &notifier{url: target.URL + "/api/webhook", secret: "shared", caFile: ca,
		publicURL: "http://git-server.argocd.svc:8080", timeout: 5 * time.Second}
	base := gitServer(t, n)
	_, commit := pushedBranch(t, base+"/voiceplat.git")

	var event received
	select {
	case event = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no push event reached the receiver")
	}
	mac := hmac.New(sha256.New, []byte("shared"))
	mac.Write(event.body)
	if event.event != "push" || event.signature != "sha256="+hex.EncodeToString(mac.Sum(nil)) {
		t.Fatalf("event %q signed %q: want a push event signed with HMAC-SHA256 of the body", event.event, event.signature)
	}
	var payload struct {
		Ref, Before, After string
		Created            bool
		Repository         struct {
			HTMLURL       string `json:"html_url"`
			DefaultBranch string `json:"default_branch"`
		}
	}
	if err := json.Unmarshal(event.body, &payload); err != nil {
		t.Fatal(err)
	}
	if payload.Ref != "refs/heads/deploy/local" || payload.After != commit || !payload.Created ||
		strings.Trim(payload.Before, "0") != "" || payload.Repository.HTMLURL != "http://git-server.argocd.svc:8080/voiceplat" {
		t.Fatalf("payload %+v: want the new branch at %s in http://git-server.argocd.svc:8080/voiceplat", payload, commit)
	}
	delivered(t, n)
	response, err := http.Get(base + "/deliveries")
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	var deliveries []delivery
	json.NewDecoder(response.Body).Decode(&deliveries)
	if len(deliveries) != 1 || deliveries[0].After != commit || deliveries[0].Status != 200 || deliveries[0].Error != "" {
		t.Fatalf("deliveries %+v: want one delivered push of %s", deliveries, commit)
	}
}

// A receiver that refuses the event (a wrong secret, say) or whose certificate the server does not trust (no CA
// given: the system's roots) is recorded as a failed delivery; the push itself succeeds.
func TestAFailedDeliveryIsRecordedAndThePushStands(t *testing.T) {
	refusing, ca, _ := receiver(t, http.StatusUnauthorized)
	untrusted, _, _ := receiver(t, http.StatusOK)
	for _, n := range []*notifier{
		{url: refusing.URL, caFile: ca, publicURL: "http://g", timeout: 5 * time.Second},
		{url: untrusted.URL, publicURL: "http://g", timeout: 5 * time.Second},
	} {
		pushedBranch(t, gitServer(t, n)+"/voiceplat.git")
		if got := delivered(t, n); got[0].Error == "" {
			t.Fatalf("deliveries %+v: want one failed delivery", got)
		}
	}
}

// A push that moves a branch lists the files that changed between the two commits; a new branch lists none (the
// receiver then refreshes everything that follows it).
func TestAMovedBranchCarriesTheFilesThatChanged(t *testing.T) {
	target, ca, got := receiver(t, http.StatusOK)
	n := &notifier{url: target.URL, caFile: ca, publicURL: "http://g", timeout: 5 * time.Second}
	url := gitServer(t, n) + "/voiceplat.git"
	work, _ := pushedBranch(t, url)
	os.MkdirAll(filepath.Join(work, "charts", "tts"), 0o755)
	os.WriteFile(filepath.Join(work, "charts", "tts", "values.yaml"), []byte("replicas: 2\n"), 0o644)
	os.WriteFile(filepath.Join(work, "values.yaml"), []byte("replicas: 3\n"), 0o644)
	git(t, work, "add", ".")
	git(t, work, "commit", "--quiet", "-m", "second")
	git(t, work, "push", "--quiet", url, "HEAD:refs/heads/deploy/local")

	var files [][]string
	for range 2 {
		select {
		case event := <-got:
			var payload struct {
				Commits []struct{ Added, Modified, Removed []string }
			}
			json.Unmarshal(event.body, &payload)
			var listed []string
			for _, c := range payload.Commits {
				listed = append(append(append(listed, c.Added...), c.Modified...), c.Removed...)
			}
			files = append(files, listed)
		case <-time.After(10 * time.Second):
			t.Fatal("a push event did not reach the receiver")
		}
	}
	if len(files[0]) != 0 || strings.Join(files[1], ",") != "charts/tts/values.yaml,values.yaml" {
		t.Fatalf("changed files per push = %q, want none for the new branch, then both changed files", files)
	}
}

func TestChangedListsCreatedMovedAndDeletedRefs(t *testing.T) {
	zeros := strings.Repeat("0", 40)
	got := changed(map[string]string{"refs/heads/a": "1", "refs/heads/b": "2", "refs/heads/c": "3"},
		map[string]string{"refs/heads/a": "1", "refs/heads/b": "4", "refs/heads/d": "5"})
	want := map[[3]string]bool{{"refs/heads/b", "2", "4"}: true, {"refs/heads/d", zeros, "5"}: true,
		{"refs/heads/c", "3", zeros}: true}
	if len(got) != len(want) {
		t.Fatalf("changed = %v, want %v", got, want)
	}
	for _, update := range got {
		if !want[update] {
			t.Fatalf("changed = %v, want %v", got, want)
		}
	}
}
