package main

import (
	"syscall"
	"testing"
	"time"
)

func processCPUTime(t *testing.T) time.Duration {
	t.Helper()
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		t.Fatal(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}

func TestWorkBurnsTheRequestedCPUTime(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	before := processCPUTime(t)
	code, body := do(t, "GET", ts.URL+"/work?ms=60")
	used := processCPUTime(t) - before
	got := decode[map[string]float64](t, body)
	if code != 200 || got["cpu_ms"] < 60 || got["cpu_ms"] > 90 {
		t.Fatalf("GET /work?ms=60 = %d %v, want cpu_ms in [60, 90]", code, got)
	}
	// The process clock is independent of the thread clock the handler reads.
	if used < 60*time.Millisecond {
		t.Fatalf("the process used %s of CPU while /work claimed %.1f ms", used, got["cpu_ms"])
	}
	if got["wall_ms"] < got["cpu_ms"]*0.9 {
		t.Fatalf("wall_ms %.1f is below cpu_ms %.1f: the report is inconsistent", got["wall_ms"], got["cpu_ms"])
	}
}

func TestWorkRejectsMissingNegativeTooLargeAndNonNumericMillis(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	for _, query := range []string{"", "?ms=", "?ms=-1", "?ms=10001", "?ms=ten"} {
		if code, _ := do(t, "GET", ts.URL+"/work"+query); code != 400 {
			t.Errorf("GET /work%s = %d, want 400", query, code)
		}
	}
}

func TestWorkOfZeroMillisAnswersAtOnce(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	code, body := do(t, "GET", ts.URL+"/work?ms=0")
	if got := decode[map[string]float64](t, body); code != 200 || got["cpu_ms"] > 5 {
		t.Fatalf("GET /work?ms=0 = %d %v", code, got)
	}
}
