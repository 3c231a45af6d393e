package main

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

func upstream(t *testing.T, status int, body string) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body + " " + r.URL.Path))
	}))
	t.Cleanup(ts.Close)
	return ts
}

func TestCallReachesAServiceByHostPort(t *testing.T) {
	other := upstream(t, 200, "hello from")
	_, ts := newTestServer(t, serverOptions{})
	hostPort := strings.TrimPrefix(other.URL, "http://")
	code, body := do(t, "GET", ts.URL+"/call?target="+hostPort)
	got := decode[callResult](t, body)
	if code != 200 || got.UpstreamStatus != 200 || got.Body != "hello from /" || got.URL != other.URL+"/" {
		t.Fatalf("GET /call?target=%s = %d %+v", hostPort, code, got)
	}
}

func TestCallKeepsTheTargetsPathAndSummarisesLongBodies(t *testing.T) {
	other := upstream(t, 200, strings.Repeat("x", 2000))
	_, ts := newTestServer(t, serverOptions{})
	code, body := do(t, "GET", ts.URL+"/call?target="+other.URL+"/readyz")
	got := decode[callResult](t, body)
	if code != 200 || len(got.Body) != bodySummaryBytes || got.BodyBytes != int64(2000+len(" /readyz")) {
		t.Fatalf("GET /call = %d, body %d bytes, body_bytes %d", code, len(got.Body), got.BodyBytes)
	}
}

func TestCallAnswersBadGatewayWhenTheServiceFails(t *testing.T) {
	other := upstream(t, 503, "overloaded")
	_, ts := newTestServer(t, serverOptions{})
	code, body := do(t, "GET", ts.URL+"/call?target="+other.URL)
	if got := decode[callResult](t, body); code != 502 || got.UpstreamStatus != 503 {
		t.Fatalf("GET /call to a 503 service = %d %+v, want 502 carrying upstream_status 503", code, got)
	}
}

func TestCallAnswersBadGatewayWhenNothingListens(t *testing.T) {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := listener.Addr().String()
	listener.Close()
	_, ts := newTestServer(t, serverOptions{})
	code, body := do(t, "GET", ts.URL+"/call?target="+closedAddr)
	if got := decode[callResult](t, body); code != 502 || got.UpstreamStatus != 0 || !strings.Contains(got.Error, "refused") {
		t.Fatalf("GET /call to a closed port = %d %+v, want 502 with a connection error", code, got)
	}
}

func TestCallRejectsAMissingOrNonHTTPTarget(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	for _, query := range []string{"", "?target=", "?target=ftp://files:21/x", "?target=http://"} {
		if code, body := do(t, "GET", ts.URL+"/call"+query); code != 400 {
			t.Errorf("GET /call%s = %d %q, want 400", query, code, body)
		}
	}
}

func TestEveryCallOpensANewConnection(t *testing.T) {
	var opened atomic.Int32
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte("ok"))
	}))
	other.Config.ConnState = func(_ net.Conn, state http.ConnState) {
		if state == http.StateNew {
			opened.Add(1)
		}
	}
	other.Start()
	t.Cleanup(other.Close)
	_, ts := newTestServer(t, serverOptions{})
	for range 3 {
		if code, body := do(t, "GET", ts.URL+"/call?target="+other.URL); code != 200 {
			t.Fatalf("GET /call = %d %s", code, body)
		}
	}
	if got := opened.Load(); got != 3 {
		t.Fatalf("3 calls opened %d connections: a reused connection would carry a verdict given before a "+
			"NetworkPolicy took effect", got)
	}
}
