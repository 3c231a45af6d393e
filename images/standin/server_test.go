package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

func newTestServer(t *testing.T, opts serverOptions) (*server, *httptest.Server) {
	t.Helper()
	if opts.serviceName == "" {
		opts.serviceName = "rest-api"
	}
	srv := newServer(opts)
	ts := httptest.NewUnstartedServer(srv.routes())
	ts.Config.ConnState = srv.metrics.trackConnection
	ts.Start()
	t.Cleanup(ts.Close)
	return srv, ts
}

// do sends one request and returns the status and body.
func do(t *testing.T, method, url string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("body is not the expected JSON: %v\n%s", err, body)
	}
	return v
}

func TestRootNamesTheServiceVersionAndHost(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{serviceName: "voice", version: "1.2.3", hostname: "pod-a"})
	code, body := do(t, "GET", ts.URL+"/")
	got := decode[map[string]string](t, body)
	if code != 200 || got["service"] != "voice" || got["version"] != "1.2.3" || got["hostname"] != "pod-a" {
		t.Fatalf("GET / = %d %v", code, got)
	}
}

func TestUnknownPathIsNotFound(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	if code, _ := do(t, "GET", ts.URL+"/nope"); code != 404 {
		t.Fatalf("GET /nope = %d, want 404", code)
	}
}

// Under ROUTE_PREFIX the endpoints answer as at the root, and still at the root (the probes' paths); a path that
// only starts with the prefix's letters is not under it.
func TestEndpointsAnswerUnderTheRoutePrefix(t *testing.T) {
	srv, ts := newTestServer(t, serverOptions{serviceName: "graphql-api", routePrefix: "/graphql"})
	for path, want := range map[string]int{
		"/graphql": 200, "/graphql/": 200, "/graphql/work?ms=0": 200, "/work?ms=0": 200, "/healthz": 200,
		"/graphqlx/work": 404, "/graphql/nope": 404,
	} {
		if code, body := do(t, "GET", ts.URL+path); code != want {
			t.Errorf("GET %s = %d %s, want %d", path, code, body, want)
		}
	}
	if got := testutil.ToFloat64(srv.metrics.requests.WithLabelValues("/work", "200")); got != 2 {
		t.Errorf("requests counted under /work = %v, want 2 (one under the prefix, one at the root)", got)
	}
}

// Each admin switch fails its own probe with that probe's code and leaves the other probe alone.
func TestProbeSwitchesTurnTheirProbeOffAndBackOn(t *testing.T) {
	switches := []struct {
		admin, probe, other string
		failing             int
	}{
		{admin: "/admin/ready", probe: "/readyz", other: "/healthz", failing: 503},
		{admin: "/admin/live", probe: "/healthz", other: "/readyz", failing: 500},
	}
	for _, sw := range switches {
		_, ts := newTestServer(t, serverOptions{})
		steps := []struct {
			method, path string
			want         int
		}{
			{"GET", sw.probe, 200},
			{"POST", sw.admin + "?state=off", 200},
			{"GET", sw.probe, sw.failing},
			{"GET", sw.other, 200},
			{"POST", sw.admin + "?state=on", 200},
			{"GET", sw.probe, 200},
		}
		for _, step := range steps {
			if code, body := do(t, step.method, ts.URL+step.path); code != step.want {
				t.Fatalf("%s %s = %d (%s), want %d", step.method, step.path, code, body, step.want)
			}
		}
	}
}

func TestSwitchRejectsUnknownStateAndWrongMethod(t *testing.T) {
	srv, ts := newTestServer(t, serverOptions{})
	code, body := do(t, "POST", ts.URL+"/admin/ready?state=maybe")
	if code != 400 || !strings.Contains(body, "state=on or state=off") {
		t.Fatalf("POST state=maybe = %d %q, want 400 naming the valid states", code, body)
	}
	if code, _ := do(t, "GET", ts.URL+"/admin/ready?state=off"); code != 405 {
		t.Fatalf("GET /admin/ready = %d, want 405", code)
	}
	if !srv.ready.Load() {
		t.Fatal("a rejected switch changed readiness")
	}
}

func TestGPUReportsVisibleDevicesAndDeviceFiles(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"nvidia0", "nvidia1", "nvidiactl", "null"} {
		if err := writeFile(dir + "/" + name); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("NVIDIA_VISIBLE_DEVICES", "GPU-fake-0, GPU-fake-1")
	_, ts := newTestServer(t, serverOptions{devGlob: dir + "/nvidia*"})
	_, body := do(t, "GET", ts.URL+"/gpu")
	got := decode[gpuReport](t, body)
	if strings.Join(got.Devices, ",") != "GPU-fake-0,GPU-fake-1" || len(got.DeviceFiles) != 3 {
		t.Fatalf("GET /gpu = %+v", got)
	}
}

func TestGPUReportsNothingWhenNoneAllocated(t *testing.T) {
	for _, value := range []string{"", "void", "none"} {
		t.Setenv("NVIDIA_VISIBLE_DEVICES", value)
		_, ts := newTestServer(t, serverOptions{devGlob: t.TempDir() + "/nvidia*"})
		_, body := do(t, "GET", ts.URL+"/gpu")
		if got := decode[gpuReport](t, body); len(got.Devices) != 0 || len(got.DeviceFiles) != 0 {
			t.Fatalf("NVIDIA_VISIBLE_DEVICES=%q: GET /gpu = %+v, want no devices", value, got)
		}
	}
}

func TestMetricsCountRequestsByRouteAndCode(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	do(t, "GET", ts.URL+"/readyz")
	do(t, "GET", ts.URL+"/work?ms=1")
	do(t, "GET", ts.URL+"/work?ms=bad")
	_, body := do(t, "GET", ts.URL+"/metrics")
	for _, want := range []string{
		`http_requests_total{code="200",path="/readyz"} 1`,
		`http_requests_total{code="200",path="/work"} 1`,
		`http_requests_total{code="400",path="/work"} 1`,
		"http_requests_in_flight 0",
		"standin_active_sessions 1", // the test client keeps one connection alive
		"process_cpu_seconds_total",
		"http_request_duration_seconds_bucket",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestTheSessionsGaugeCarriesTheServicesMetricName(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{sessionsMetric: "voice_active_sessions"})
	_, body := do(t, "GET", ts.URL+"/metrics")
	if !strings.Contains(body, "voice_active_sessions 1") || strings.Contains(body, "standin_active_sessions") {
		t.Errorf("/metrics should count open connections as voice_active_sessions only:\n%s", body)
	}
}
