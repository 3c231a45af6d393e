package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"
)

// runner keeps the plugin registered with whichever kubelet currently owns kubelet.sock. Three signs say the
// kubelet it registered with is gone, and any one of them triggers a fresh socket and registration:
//   - the kubelet ends its ListAndWatch stream (it exited, restarted or dropped the plugin);
//   - the plugin's own socket disappears (a starting kubelet deletes every socket in the directory);
//   - kubelet.sock is a different file than at registration (a new kubelet created it).
type runner struct {
	cfg    config
	log    *slog.Logger
	server *pluginServer
	// kubelet is kubelet.sock as it was when registration last succeeded; nil until then.
	kubelet os.FileInfo
	// lost receives from ListAndWatch when the kubelet ends the stream; streamLost remembers it until re-registered.
	lost       chan struct{}
	streamLost bool
	waiting    bool // "waiting for the kubelet" was logged; said once, not every poll
}

// run serves and registers the plugin until ctx ends (SIGTERM), re-registering after every kubelet restart.
// It returns an error only for problems retrying cannot fix, such as an unwritable device-plugin directory.
func run(ctx context.Context, cfg config, log *slog.Logger) error {
	r := &runner{cfg: cfg, log: log, lost: make(chan struct{}, 1)}
	defer r.stopServer()
	log.Info("fake GPU device plugin starting", "resource", cfg.resourceName, "devices", cfg.deviceCount,
		"product", cfg.product, "kubelet_socket", cfg.kubeletSocket(), "plugin_socket", cfg.pluginSocket())
	ticker := time.NewTicker(cfg.pollInterval)
	defer ticker.Stop()
	for {
		if err := r.reconcile(ctx); err != nil {
			var fatal *fatalError
			if errors.As(err, &fatal) {
				return err
			}
			log.Warn("registration failed; retrying", "error", err, "retry_in", cfg.pollInterval)
		}
		select {
		case <-ctx.Done():
			log.Info("stopping: signal received", "resource", cfg.resourceName)
			return nil
		case <-r.lost:
			r.streamLost = true
		case <-ticker.C:
		}
	}
}

// fatalError marks failures that retrying cannot fix; the process exits so the pod's restarts show them.
type fatalError struct{ err error }

func (e *fatalError) Error() string { return e.err.Error() }
func (e *fatalError) Unwrap() error { return e.err }

// reconcile (re)starts the plugin socket and registers when the kubelet it registered with is gone.
func (r *runner) reconcile(ctx context.Context) error {
	kubelet, err := os.Stat(r.cfg.kubeletSocket())
	if errors.Is(err, fs.ErrNotExist) {
		if !r.waiting {
			r.log.Info("waiting for the kubelet socket to appear", "kubelet_socket", r.cfg.kubeletSocket())
			r.waiting = true
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("checking the kubelet socket %s: %w", r.cfg.kubeletSocket(), err)
	}
	r.waiting = false
	why := r.reasonToRegister(kubelet)
	if why == "" {
		return nil
	}
	r.log.Info("registering with the kubelet", "reason", why)
	r.stopServer()
	select {
	case <-r.lost: // the old socket's streams are gone with it; that news is stale now
	default:
	}
	if r.server, err = startServer(r.cfg, r.lost, r.log); err != nil {
		return &fatalError{err}
	}
	if err := register(ctx, r.cfg); err != nil {
		r.kubelet = nil // try again at the next poll
		return err
	}
	r.kubelet, r.streamLost = kubelet, false
	ids := make([]string, r.cfg.deviceCount)
	for i := range ids {
		ids[i] = deviceID(i)
	}
	r.log.Info("registered with the kubelet", "resource", r.cfg.resourceName, "api_version", "v1beta1",
		"endpoint", r.cfg.socketName, "devices", strings.Join(ids, ","), "product", r.cfg.product)
	return nil
}

// reasonToRegister says why registration is needed now, or "" when the current one still holds.
func (r *runner) reasonToRegister(kubelet os.FileInfo) string {
	switch {
	case r.kubelet == nil:
		return "not registered yet"
	case r.streamLost:
		return "the kubelet closed its device stream (kubelet restarted or dropped the plugin)"
	case !r.server.present():
		return "plugin socket was deleted (kubelet restarted)"
	case !sameFile(r.kubelet, kubelet):
		return "kubelet socket was re-created (kubelet restarted)"
	}
	return ""
}

func (r *runner) stopServer() {
	if r.server != nil {
		r.server.stop()
		r.server = nil
	}
}
