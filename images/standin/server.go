package main

import (
	"encoding/json"
	"log"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"go.temporal.io/sdk/client"
)

type serverOptions struct {
	serviceName string
	version     string
	hostname    string
	// devGlob is where /gpu looks for device files; tests point it at a temporary directory.
	devGlob string
	// callTimeout bounds one /call to another service.
	callTimeout time.Duration
	// sessionsMetric names the open-connections gauge (SESSIONS_METRIC).
	sessionsMetric string
	// routePrefix is the path the service's Ingress mounts it under (ROUTE_PREFIX, e.g. the GraphQL API's
	// /graphql): the endpoints answer under it as at the root, as the real service serves its API there.
	routePrefix string
	// temporal starts workflows (POST /workflows); nil without TEMPORAL_ADDRESS (temporal.go).
	temporal client.Client
	// liveKit is LiveKit's server API (livekit.go), nil unless LIVEKIT_URL is set (the voice service).
	liveKit *liveKit
}

type server struct {
	opts    serverOptions
	ready   atomic.Bool
	live    atomic.Bool
	metrics *metrics
	client  *http.Client
	jobs    *jobs   // RabbitMQ (amqp.go); nil when the process has no broker
	ballast ballast // memory held on request (memory.go)
	// temporal: see serverOptions.temporal.
	temporal client.Client
}

func newServer(opts serverOptions) *server {
	if opts.devGlob == "" {
		opts.devGlob = "/dev/nvidia*"
	}
	if opts.callTimeout == 0 {
		opts.callTimeout = 5 * time.Second
	}
	s := &server{opts: opts, metrics: newMetrics(opts.sessionsMetric), client: newCallClient(opts.callTimeout),
		temporal: opts.temporal}
	s.ready.Store(true)
	s.live.Store(true)
	return s
}

// routes maps each endpoint; the method in the pattern makes the mux answer 405 to any other method.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	handle := func(method, path string, h http.HandlerFunc) {
		mux.Handle(method+" "+path, s.metrics.instrument(path, h))
	}
	handle("GET", "/{$}", s.handleRoot)
	handle("GET", "/healthz", s.handleHealthz)
	handle("GET", "/readyz", s.handleReadyz)
	handle("GET", "/work", s.handleWork)
	handle("GET", "/call", s.handleCall)
	handle("GET", "/gpu", s.handleGPU)
	handle("GET", "/stream", s.handleStream)
	handle("GET", "/bytes", s.handleBytes)
	handle("POST", "/jobs", s.handleJobs)
	handle("POST", "/livekit/rooms", s.handleCreateRoom)
	handle("GET", "/livekit/participants", s.handleParticipants)
	handle("POST", "/admin/ready", s.handleSwitch(&s.ready, "readiness"))
	handle("POST", "/admin/live", s.handleSwitch(&s.live, "liveness"))
	handle("POST", "/admin/memory", s.handleMemory)
	handle("POST", "/workflows", s.handleStartWorkflow)
	// Not instrumented: a scrape should not count itself.
	mux.Handle("GET /metrics", s.metrics.handler())
	// Every response names the service, 404s included: a proxy's routing (an Ingress path the stand-in does not
	// serve, /graphql) is checked by the header, whichever path it forwards.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Service", s.opts.serviceName)
		mux.ServeHTTP(w, underPrefix(r, s.opts.routePrefix))
	})
}

// underPrefix is r with prefix taken off its path when the path is the prefix or below it; r itself otherwise.
func underPrefix(r *http.Request, prefix string) *http.Request {
	if prefix == "" || (r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/")) {
		return r
	}
	inner := r.Clone(r.Context())
	inner.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
	if inner.URL.Path == "" {
		inner.URL.Path = "/"
	}
	inner.URL.RawPath = ""
	return inner
}

func (s *server) handleRoot(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{
		"service":  s.opts.serviceName,
		"version":  s.opts.version,
		"hostname": s.opts.hostname,
	})
}

func (s *server) handleHealthz(w http.ResponseWriter, _ *http.Request) {
	if !s.live.Load() {
		http.Error(w, "liveness switched off via POST /admin/live?state=off", http.StatusInternalServerError)
		return
	}
	writeText(w, "ok")
}

func (s *server) handleReadyz(w http.ResponseWriter, _ *http.Request) {
	if !s.ready.Load() {
		http.Error(w, "not ready: switched off via POST /admin/ready?state=off, or shutting down", http.StatusServiceUnavailable)
		return
	}
	writeText(w, "ready")
}

// handleSwitch turns one probe on or off: POST /admin/<probe>?state=on|off.
func (s *server) handleSwitch(flag *atomic.Bool, probe string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		switch state := r.URL.Query().Get("state"); state {
		case "on", "off":
			flag.Store(state == "on")
			log.Printf("standin: %s switched %s", probe, state)
			writeJSON(w, http.StatusOK, map[string]string{probe: state})
		default:
			http.Error(w, "state="+state+" is not understood: use state=on or state=off", http.StatusBadRequest)
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func writeText(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(body + "\n"))
}
