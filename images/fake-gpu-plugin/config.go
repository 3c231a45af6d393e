package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// config is everything the plugin needs; parseConfig fills it from flags, which default to the environment.
type config struct {
	// resourceName is the extended resource the kubelet advertises, e.g. nvidia.com/gpu.
	resourceName string
	// deviceCount is how many fake devices the node gets (its nvidia.com/gpu capacity).
	deviceCount int
	// pluginDir holds the kubelet's registration socket and the plugin's own socket.
	pluginDir string
	// socketName is the plugin's socket file inside pluginDir (the Endpoint sent to the kubelet).
	socketName string
	// product is the fake model name handed to containers, so a workload can tell it runs on a fake GPU.
	product string
	// pollInterval is how often the kubelet socket is checked for a kubelet restart.
	pollInterval time.Duration
}

const (
	defaultResourceName = "nvidia.com/gpu"
	defaultDeviceCount  = 2
	defaultPluginDir    = "/var/lib/kubelet/device-plugins"
	defaultSocketName   = "voiceplat-fake-gpu.sock"
	defaultProduct      = "NVIDIA-Fake-GPU"
	// A kubelet restart re-creates its socket; noticing within a second is plenty for a test cluster, and a stat
	// per second costs nothing (inotify would need a dependency and misses nothing polling does not).
	defaultPollInterval = time.Second
	// Device IDs are limited to 63 characters by the API; far fewer devices than that limit allows are sensible.
	maxDeviceCount = 128
)

func (c config) kubeletSocket() string { return filepath.Join(c.pluginDir, "kubelet.sock") }
func (c config) pluginSocket() string  { return filepath.Join(c.pluginDir, c.socketName) }

// parseConfig reads the flags in args; each flag's default comes from its environment variable, then a constant.
func parseConfig(args []string, getenv func(string) string) (config, error) {
	fs := flag.NewFlagSet("fake-gpu-plugin", flag.ContinueOnError)
	envOr := func(key, fallback string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return fallback
	}
	countText := envOr("FAKE_GPU_COUNT", strconv.Itoa(defaultDeviceCount))
	pollText := envOr("FAKE_GPU_POLL_INTERVAL", defaultPollInterval.String())

	var c config
	fs.StringVar(&c.resourceName, "resource-name", envOr("FAKE_GPU_RESOURCE_NAME", defaultResourceName),
		"extended resource to advertise (env FAKE_GPU_RESOURCE_NAME)")
	fs.StringVar(&countText, "device-count", countText, "number of fake devices (env FAKE_GPU_COUNT)")
	fs.StringVar(&c.pluginDir, "device-plugin-dir", envOr("FAKE_GPU_PLUGIN_DIR", defaultPluginDir),
		"kubelet device-plugin directory (env FAKE_GPU_PLUGIN_DIR)")
	fs.StringVar(&c.socketName, "socket-name", envOr("FAKE_GPU_SOCKET_NAME", defaultSocketName),
		"plugin socket file name inside the device-plugin directory (env FAKE_GPU_SOCKET_NAME)")
	fs.StringVar(&c.product, "product", envOr("FAKE_GPU_PRODUCT", defaultProduct),
		"fake product name given to containers (env FAKE_GPU_PRODUCT)")
	fs.StringVar(&pollText, "poll-interval", pollText,
		"how often to check the kubelet socket for a kubelet restart (env FAKE_GPU_POLL_INTERVAL)")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected arguments %q: this program takes flags only (see -h)", fs.Args())
	}

	count, err := strconv.Atoi(countText)
	if err != nil || count < 1 || count > maxDeviceCount {
		return config{}, fmt.Errorf("device count %q (FAKE_GPU_COUNT or -device-count) is not a whole number "+
			"from 1 to %d: set it to how many fake GPUs the node should have", countText, maxDeviceCount)
	}
	c.deviceCount = count
	if c.pollInterval, err = time.ParseDuration(pollText); err != nil || c.pollInterval <= 0 {
		return config{}, fmt.Errorf("poll interval %q (FAKE_GPU_POLL_INTERVAL or -poll-interval) is not a "+
			"positive duration: use a Go duration such as 1s or 500ms", pollText)
	}
	return c, c.validate()
}

func (c config) validate() error {
	var errs []error
	domain, name, found := strings.Cut(c.resourceName, "/")
	if !found || domain == "" || name == "" || strings.Contains(name, "/") || strings.HasSuffix(domain, "kubernetes.io") {
		errs = append(errs, fmt.Errorf("resource name %q is not an extended resource: use <vendor-domain>/<name> "+
			"outside kubernetes.io, e.g. %s", c.resourceName, defaultResourceName))
	}
	if !filepath.IsAbs(c.pluginDir) {
		errs = append(errs, fmt.Errorf("device-plugin directory %q is relative: give the absolute path the "+
			"kubelet uses, normally %s", c.pluginDir, defaultPluginDir))
	}
	if c.socketName == "" || c.socketName == "kubelet.sock" || strings.ContainsRune(c.socketName, os.PathSeparator) {
		errs = append(errs, fmt.Errorf("socket name %q must be a plain file name other than kubelet.sock, e.g. %s",
			c.socketName, defaultSocketName))
	}
	if strings.TrimSpace(c.product) == "" {
		errs = append(errs, fmt.Errorf("product name is empty: set FAKE_GPU_PRODUCT or -product, e.g. %s",
			defaultProduct))
	}
	return errors.Join(errs...)
}
