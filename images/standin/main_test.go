package main

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"
)

func writeFile(path string) error { return os.WriteFile(path, nil, 0o600) }

func envOf(values map[string]string) func(string) string {
	return func(key string) string { return values[key] }
}

func TestConfigDefaultsToPort8080(t *testing.T) {
	cfg, err := configFromEnv(envOf(nil))
	if err != nil || cfg.port != 8080 || cfg.serviceName != "standin" || cfg.shutdownTimeout != 20*time.Second {
		t.Fatalf("configFromEnv(empty) = %+v, %v", cfg, err)
	}
}

func TestConfigReadsPortServiceNameAndShutdownTimeout(t *testing.T) {
	cfg, err := configFromEnv(envOf(map[string]string{"PORT": "18080", "SERVICE_NAME": "tts", "SHUTDOWN_TIMEOUT": "3s"}))
	if err != nil || cfg.port != 18080 || cfg.serviceName != "tts" || cfg.shutdownTimeout != 3*time.Second {
		t.Fatalf("configFromEnv = %+v, %v", cfg, err)
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	for key, value := range map[string]string{"PORT": "http", "SHUTDOWN_TIMEOUT": "soon", "SESSIONS_METRIC": "voice-sessions",
		"ROUTE_PREFIX": "graphql/"} {
		_, err := configFromEnv(envOf(map[string]string{key: value}))
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s=%s: error %v does not name %s", key, value, err, key)
		}
	}
	if _, err := configFromEnv(envOf(map[string]string{"PORT": "70000"})); err == nil {
		t.Error("PORT=70000 was accepted")
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestShutdownLetsInFlightRequestsFinish(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + listener.Addr().String()
	srv := newServer(serverOptions{serviceName: "standin"})
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- run(ctx, srv, listener, 5*time.Second) }()

	type answer struct {
		code int
		body string
	}
	inFlight := make(chan answer, 1)
	go func() {
		code, body := do(t, "GET", base+"/work?ms=300")
		inFlight <- answer{code, body}
	}()
	waitFor(t, "the /work request is in flight", func() bool {
		_, metrics := do(t, "GET", base+"/metrics")
		return strings.Contains(metrics, "http_requests_in_flight 1")
	})
	cancel()
	waitFor(t, "readiness turns off on SIGTERM", func() bool { return !srv.ready.Load() })

	if got := <-inFlight; got.code != 200 {
		t.Fatalf("the in-flight request was cut off: %d %s", got.code, got.body)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("run returned %v after a clean shutdown", err)
	}
	if _, err := net.DialTimeout("tcp", listener.Addr().String(), time.Second); err == nil {
		t.Fatal("the server still accepts connections after shutdown")
	}
}
