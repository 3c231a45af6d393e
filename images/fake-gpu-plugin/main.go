// Command fake-gpu-plugin is a Kubernetes device plugin that advertises fake NVIDIA GPUs, so a cluster without
// GPUs (the kind e2e cluster) schedules and allocates nvidia.com/gpu for real: the kubelet counts capacity,
// hands out device IDs and injects the environment this plugin returns.
package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := parseConfig(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		log.Error("invalid configuration", "error", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, cfg, log); err != nil {
		log.Error("fake GPU device plugin failed", "error", err)
		os.Exit(1)
	}
}
