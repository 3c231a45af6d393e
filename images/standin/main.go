// Command standin is the stand-in workload the e2e suite deploys in place of every platform service.
//
// It honours the platform's service contract (liveness, readiness, Prometheus metrics) and adds the
// knobs the e2e claims need: CPU-costly work for the HPA, a call to another service by name for
// discovery, admin switches that fail the probes, and a report of the GPU devices the kubelet gave it.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"syscall"
	"time"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// config is everything the process reads from its environment.
type config struct {
	port            int
	serviceName     string
	shutdownTimeout time.Duration
	sessionsMetric  string
	routePrefix     string
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	pathPrefix = regexp.MustCompile(`^(/[a-zA-Z0-9._~-]+)+$`)
)

func configFromEnv(getenv func(string) string) (config, error) {
	cfg := config{port: 8080, serviceName: "standin", shutdownTimeout: 20 * time.Second}
	if v := getenv("PORT"); v != "" {
		port, err := strconv.Atoi(v)
		if err != nil || port < 1 || port > 65535 {
			return cfg, fmt.Errorf("PORT=%q is not a TCP port: set it to a number from 1 to 65535", v)
		}
		cfg.port = port
	}
	if v := getenv("SERVICE_NAME"); v != "" {
		cfg.serviceName = v
	}
	if v := getenv("SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return cfg, fmt.Errorf("SHUTDOWN_TIMEOUT=%q is not a duration: write it like 20s", v)
		}
		cfg.shutdownTimeout = d
	}
	if v := getenv("SESSIONS_METRIC"); v != "" {
		if !metricName.MatchString(v) {
			return cfg, fmt.Errorf("SESSIONS_METRIC=%q is not a Prometheus metric name: use letters, digits and _", v)
		}
		cfg.sessionsMetric = v
	}
	if v := getenv("ROUTE_PREFIX"); v != "" {
		if !pathPrefix.MatchString(v) {
			return cfg, fmt.Errorf("ROUTE_PREFIX=%q is not a URL path prefix: write it like /graphql, with no trailing /", v)
		}
		cfg.routePrefix = v
	}
	return cfg, nil
}

func main() {
	if err := start(); err != nil {
		log.Fatalf("standin: %v", err)
	}
}

func start() error {
	cfg, err := configFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	jobsCfg, err := jobsConfigFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	listener, err := net.Listen("tcp", fmt.Sprintf(":%d", cfg.port))
	if err != nil {
		return fmt.Errorf("cannot listen on port %d (is another process using it? set PORT): %w", cfg.port, err)
	}
	lk, err := liveKitFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	hostname, _ := os.Hostname()
	temporalCfg, err := temporalFromEnv(os.Getenv)
	if err != nil {
		return err
	}
	temporalClient, workerStopped, err := startTemporal(ctx, temporalCfg, hostname, cfg.serviceName,
		cfg.shutdownTimeout)
	if err != nil {
		return err
	}
	srv := newServer(serverOptions{serviceName: cfg.serviceName, version: version, hostname: hostname,
		sessionsMetric: cfg.sessionsMetric, routePrefix: cfg.routePrefix, temporal: temporalClient, liveKit: lk})
	srv.jobs = newJobs(jobsCfg, srv.metrics.registry)
	consumed := make(chan struct{})
	if jobsCfg.queue != "" {
		go func() { srv.jobs.consume(ctx); close(consumed) }()
	} else {
		close(consumed)
	}
	log.Printf("standin %s (%s) listening on :%d", cfg.serviceName, version, cfg.port)
	err = run(ctx, srv, listener, cfg.shutdownTimeout)
	// The job in hand is finished and acked, and the activities in hand reported, before the process exits.
	// One deadline for both: a context's Done stays closed, where a time.After fires for one receive only.
	waiting, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	for _, done := range []<-chan struct{}{consumed, workerStopped} {
		select {
		case <-done:
		case <-waiting.Done():
		}
	}
	return err
}

// run serves until ctx is cancelled, then stops taking new connections and lets in-flight requests
// finish within the shutdown timeout (the pod's terminationGracePeriodSeconds should exceed it).
func run(ctx context.Context, srv *server, listener net.Listener, shutdownTimeout time.Duration) error {
	httpServer := &http.Server{
		Handler:           srv.routes(),
		ReadHeaderTimeout: 10 * time.Second,
		ConnState:         srv.metrics.trackConnection,
	}
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(listener) }()

	select {
	case err := <-served:
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	// Report not-ready first so a caller polling /readyz during the drain sees the truth.
	srv.ready.Store(false)
	log.Printf("standin: signal received, draining for up to %s", shutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("graceful shutdown did not finish within %s: %w", shutdownTimeout, err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Printf("standin: stopped cleanly")
	return nil
}
