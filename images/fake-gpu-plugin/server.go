package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/credentials/insecure"
	api "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

const (
	// registerTimeout bounds one registration attempt; a kubelet that is up answers in milliseconds.
	registerTimeout = 10 * time.Second
	// stopTimeout bounds the wait for calls in flight when the socket shuts down (the pod's grace period is 30 s).
	stopTimeout = 5 * time.Second
)

var kubeletBackoff = backoff.Config{BaseDelay: 50 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: time.Second}

// pluginServer is one life of the plugin's socket: listening, serving the DevicePlugin API, then stopped.
type pluginServer struct {
	grpc    *grpc.Server
	path    string
	created os.FileInfo // the socket file as created, to notice when the kubelet deletes it
	stopped chan struct{}
}

// startServer creates the plugin's socket (replacing a stale one from an earlier life) and serves on it.
// A kubelet that ends a ListAndWatch stream is reported on lost.
func startServer(cfg config, lost chan<- struct{}, log *slog.Logger) (*pluginServer, error) {
	path := cfg.pluginSocket()
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("removing the stale plugin socket %s: %w (the plugin must run as root to write "+
			"the kubelet's device-plugin directory)", path, err)
	}
	lis, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w (mount the kubelet's device-plugin directory at %s, writable)",
			path, err, cfg.pluginDir)
	}
	created, err := os.Stat(path)
	if err != nil {
		lis.Close()
		return nil, fmt.Errorf("checking the new plugin socket %s: %w", path, err)
	}
	s := &pluginServer{grpc: grpc.NewServer(), path: path, created: created, stopped: make(chan struct{})}
	api.RegisterDevicePluginServer(s.grpc, newDevicePlugin(cfg, s.stopped, lost, log))
	go func() {
		if err := s.grpc.Serve(lis); err != nil {
			log.Error("device plugin socket stopped serving", "socket", path, "error", err)
		}
	}()
	return s, nil
}

// present says whether the socket file this server created is still there; the kubelet deletes every plugin
// socket when it starts, which is how a plugin learns it must re-register.
func (s *pluginServer) present() bool {
	now, err := os.Stat(s.path)
	return err == nil && sameFile(s.created, now)
}

// stop ends open ListAndWatch streams, waits for calls in flight, and removes the socket if it is still ours.
func (s *pluginServer) stop() {
	close(s.stopped)
	graceful := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(graceful) }()
	select {
	case <-graceful:
	case <-time.After(stopTimeout):
		s.grpc.Stop() // a stuck call must not keep the plugin from re-registering or exiting
	}
	if s.present() {
		_ = os.Remove(s.path) // already gone is fine; anything else is harmless, the next start replaces it
	}
}

// sameFile says whether a and b are the same socket: same inode and same creation moment, since a re-created
// socket may reuse a freed inode number.
func sameFile(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.ModTime().Equal(b.ModTime())
}

// register announces the plugin to the kubelet listening on cfg.kubeletSocket(); the kubelet then dials back
// the plugin's socket, so the server must already be serving.
func register(ctx context.Context, cfg config) error {
	conn, err := grpc.NewClient("unix://"+cfg.kubeletSocket(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		// A starting kubelet creates its socket file a moment before it accepts connections; gRPC's default
		// first back-off of 1 s is meant for remote servers, a local socket is worth retrying sooner.
		grpc.WithConnectParams(grpc.ConnectParams{Backoff: kubeletBackoff, MinConnectTimeout: 5 * time.Second}))
	if err != nil {
		return fmt.Errorf("connecting to the kubelet at %s: %w", cfg.kubeletSocket(), err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, registerTimeout)
	defer cancel()
	_, err = api.NewRegistrationClient(conn).Register(ctx, &api.RegisterRequest{
		Version:      api.Version,
		Endpoint:     cfg.socketName,
		ResourceName: cfg.resourceName,
		Options:      pluginOptions(),
	}, grpc.WaitForReady(true))
	if err != nil {
		return fmt.Errorf("registering %s with the kubelet at %s: %w", cfg.resourceName, cfg.kubeletSocket(), err)
	}
	return nil
}
