package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// bodySummaryBytes is how much of the other service's answer /call echoes back.
const bodySummaryBytes = 512

// callResult is the JSON /call answers with, whether or not the other service answered.
type callResult struct {
	URL            string  `json:"url"`
	UpstreamStatus int     `json:"upstream_status"`
	Body           string  `json:"body,omitempty"`
	BodyBytes      int64   `json:"body_bytes"`
	ElapsedMS      float64 `json:"elapsed_ms"`
	Error          string  `json:"error,omitempty"`
}

// newCallClient is the client of /call: one new connection per call. /call is how the e2e suite asks "may this
// pod open a connection to that one now?" (discovery, NetworkPolicies). A pooled connection would answer a
// different question: a NetworkPolicy filters new connections only, and the controller admits packets of an
// established one, so a connection opened before the policy's rules reached the node would keep being let
// through on reuse, and a refusal would never be seen.
func newCallClient(timeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableKeepAlives = true
	return &http.Client{Timeout: timeout, Transport: transport}
}

// handleCall does GET on another service and reports what came back: GET /call?target=T, where T is
// a URL or a bare `host:port` (a Service's short name, FQDN or IP). It answers 200 when the other
// service answered 2xx and 502 otherwise, so `curl -f` inside a pod is a discovery check.
func (s *server) handleCall(w http.ResponseWriter, r *http.Request) {
	target, err := targetURL(r.URL.Query().Get("target"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	result := callResult{URL: target}
	start := time.Now()
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, target, nil)
	resp, err := s.client.Do(req)
	if err != nil {
		result.ElapsedMS = millisSince(start)
		result.Error = err.Error()
		writeJSON(w, http.StatusBadGateway, result)
		return
	}
	defer resp.Body.Close()
	head, _ := io.ReadAll(io.LimitReader(resp.Body, bodySummaryBytes))
	rest, _ := io.Copy(io.Discard, resp.Body)
	result.ElapsedMS = millisSince(start)
	result.UpstreamStatus = resp.StatusCode
	result.Body = string(head)
	result.BodyBytes = int64(len(head)) + rest
	status := http.StatusOK
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		status = http.StatusBadGateway
	}
	writeJSON(w, status, result)
}

// targetURL accepts `http(s)://host[:port]/path` or `host:port[/path]` and returns a full URL.
func targetURL(target string) (string, error) {
	if target == "" {
		return "", fmt.Errorf("target is missing: call /call?target=<service>:<port> or /call?target=http://<service>:<port>/path")
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("target=%q is not an http(s) URL or host:port", target)
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String(), nil
}

func millisSince(start time.Time) float64 {
	return float64(time.Since(start).Microseconds()) / 1000
}
