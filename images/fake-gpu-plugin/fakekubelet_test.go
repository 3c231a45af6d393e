package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	api "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

// deadline bounds every wait in these tests; a healthy run takes milliseconds.
const deadline = 10 * time.Second

// registration is what a fake kubelet saw when a plugin registered, and a client to the plugin for more calls.
type registration struct {
	req     *api.RegisterRequest
	options *api.DevicePluginOptions
	devices []*api.Device
	// stream is the ListAndWatch stream the kubelet keeps open; it ends when the plugin stops.
	stream api.DevicePlugin_ListAndWatchClient
	client api.DevicePluginClient
	err    error
}

// fakeKubelet serves the kubelet's Registration API on <dir>/kubelet.sock and, like the real kubelet, dials the
// plugin back on Register, asks for its options and opens ListAndWatch.
type fakeKubelet struct {
	api.UnimplementedRegistrationServer
	dir           string
	grpc          *grpc.Server
	registrations chan registration
	mu            sync.Mutex
	conns         []*grpc.ClientConn
}

func startFakeKubelet(t *testing.T, dir string) *fakeKubelet {
	t.Helper()
	return startFakeKubeletAt(t, dir, filepath.Join(dir, "kubelet.sock"))
}

// startFakeKubeletAt listens on socket, which a test may then rename to kubelet.sock.
func startFakeKubeletAt(t *testing.T, dir, socket string) *fakeKubelet {
	t.Helper()
	lis, err := net.Listen("unix", socket)
	if err != nil {
		t.Fatalf("fake kubelet cannot listen: %v", err)
	}
	k := &fakeKubelet{dir: dir, grpc: grpc.NewServer(), registrations: make(chan registration, 8)}
	api.RegisterRegistrationServer(k.grpc, k)
	go func() { _ = k.grpc.Serve(lis) }()
	t.Cleanup(k.stop)
	return k
}

func (k *fakeKubelet) Register(ctx context.Context, req *api.RegisterRequest) (*api.Empty, error) {
	reg := registration{req: req}
	defer func() { k.registrations <- reg }()
	conn, err := grpc.NewClient("unix://"+filepath.Join(k.dir, req.Endpoint),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		reg.err = err
		return nil, err
	}
	k.mu.Lock()
	k.conns = append(k.conns, conn)
	k.mu.Unlock()
	reg.client = api.NewDevicePluginClient(conn)
	if reg.options, reg.err = reg.client.GetDevicePluginOptions(ctx, &api.Empty{}); reg.err != nil {
		return nil, reg.err
	}
	// The stream outlives this call, as the kubelet's does: it ends with the connection, closed by stop.
	if reg.stream, reg.err = reg.client.ListAndWatch(context.Background(), &api.Empty{}); reg.err != nil {
		return nil, reg.err
	}
	first, err := reg.stream.Recv()
	if err != nil {
		reg.err = err
		return nil, err
	}
	reg.devices = first.Devices
	return &api.Empty{}, nil
}

// stop shuts the fake kubelet down and removes its socket, as a kubelet that exits does.
func (k *fakeKubelet) stop() {
	k.grpc.Stop()
	k.dropPlugins()
	_ = os.Remove(filepath.Join(k.dir, "kubelet.sock"))
}

// dropPlugins closes the connections to the plugins, which ends their ListAndWatch streams.
func (k *fakeKubelet) dropPlugins() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, c := range k.conns {
		_ = c.Close()
	}
	k.conns = nil
}

// next waits for the next registration and fails the test if none comes or the dial-back failed.
func (k *fakeKubelet) next(t *testing.T) registration {
	t.Helper()
	select {
	case reg := <-k.registrations:
		if reg.err != nil {
			t.Fatalf("plugin registered but the kubelet could not use it: %v", reg.err)
		}
		return reg
	case <-time.After(deadline):
		t.Fatalf("no registration at the fake kubelet within %s", deadline)
		return registration{}
	}
}

// socketDir is a fresh directory with a short path: unix socket paths are limited to 108 bytes.
func socketDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "fgp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func testConfig(dir string, devices int) config {
	return config{resourceName: "nvidia.com/gpu", deviceCount: devices, pluginDir: dir,
		socketName: defaultSocketName, product: "Fake-Test-GPU", pollInterval: 10 * time.Millisecond}
}

var discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// startPlugin runs the plugin until the test ends; the returned stop cancels it and yields run's result.
func startPlugin(t *testing.T, cfg config) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg, discardLogger) }()
	var once sync.Once
	var result error
	stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case result = <-done:
			case <-time.After(deadline):
				result = errors.New("plugin did not stop within the deadline after cancel")
			}
		})
		return result
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}
