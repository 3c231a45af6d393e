package main

import (
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const defaultSessionsMetric = "standin_active_sessions"

// metrics owns a private registry, so tests can build many servers in one process.
type metrics struct {
	registry       *prometheus.Registry
	requests       *prometheus.CounterVec
	duration       *prometheus.HistogramVec
	inFlight       prometheus.Gauge
	activeSessions prometheus.Gauge
}

// The HTTP series carry the names the platform's services export and its alerts, dashboards and adapter rules
// query (http_requests_total, http_request_duration_seconds); sessionsMetric names the open-connections gauge
// after the service's own session metric (voice_active_sessions, ...), which its custom-metric HPA scales on.
func newMetrics(sessionsMetric string) *metrics {
	if sessionsMetric == "" {
		sessionsMetric = defaultSessionsMetric
	}
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "http_requests_total",
			Help: "HTTP requests served, by route and status code.",
		}, []string{"path", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"path"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "http_requests_in_flight",
			Help: "HTTP requests being served now.",
		}),
		// The platform's voice service scales on its live sessions; an open client connection is the
		// stand-in's equivalent, so the custom-metric HPA path can be exercised with it.
		activeSessions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: sessionsMetric,
			Help: "Client connections open now (the stand-in's notion of a live session).",
		}),
	}
	m.registry.MustRegister(
		m.requests, m.duration, m.inFlight, m.activeSessions,
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewGoCollector(),
	)
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// instrument counts and times every request of one route. The label is the route, never the raw
// URL, so query strings cannot blow up the series count.
func (m *metrics) instrument(path string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		m.duration.WithLabelValues(path).Observe(time.Since(start).Seconds())
		m.requests.WithLabelValues(path, strconv.Itoa(rec.status)).Inc()
	})
}

// trackConnection is the http.Server ConnState hook behind the sessions gauge.
func (m *metrics) trackConnection(_ net.Conn, state http.ConnState) {
	switch state {
	case http.StateNew:
		m.activeSessions.Inc()
	case http.StateClosed, http.StateHijacked:
		m.activeSessions.Dec()
	}
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (Hijack for /stream's WebSocket).
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
