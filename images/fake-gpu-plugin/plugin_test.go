package main

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	api "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

func TestRegistersWithTheKubeletUsingV1beta1ItsSocketAndResourceName(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))

	reg := kubelet.next(t)
	if reg.req.Version != "v1beta1" || reg.req.Endpoint != defaultSocketName || reg.req.ResourceName != "nvidia.com/gpu" {
		t.Fatalf("RegisterRequest = version %q endpoint %q resource %q; want v1beta1, %s, nvidia.com/gpu",
			reg.req.Version, reg.req.Endpoint, reg.req.ResourceName, defaultSocketName)
	}
	if !reg.req.Options.GetGetPreferredAllocationAvailable() || reg.req.Options.GetPreStartRequired() {
		t.Fatalf("registered options %v; want preferred allocation available, no pre-start", reg.req.Options)
	}
	if reg.options.GetGetPreferredAllocationAvailable() != reg.req.Options.GetGetPreferredAllocationAvailable() ||
		reg.options.GetPreStartRequired() != reg.req.Options.GetPreStartRequired() {
		t.Fatalf("GetDevicePluginOptions %v disagrees with the registered options %v", reg.options, reg.req.Options)
	}
}

func TestListAndWatchAdvertisesEveryDeviceAsHealthy(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 3))

	var got []string
	for _, d := range kubelet.next(t).devices {
		if d.Health != api.Healthy {
			t.Errorf("device %s health %q; want %q", d.ID, d.Health, api.Healthy)
		}
		got = append(got, d.ID)
	}
	if want := []string{"GPU-fake-0", "GPU-fake-1", "GPU-fake-2"}; !slices.Equal(got, want) {
		t.Fatalf("ListAndWatch devices %v; want %v", got, want)
	}
}

func TestAllocateGivesEachContainerItsDevicesInNvidiaVisibleDevices(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 3))
	reg := kubelet.next(t)

	resp, err := reg.client.Allocate(context.Background(), &api.AllocateRequest{ContainerRequests: []*api.ContainerAllocateRequest{
		{DevicesIds: []string{"GPU-fake-1"}},
		{DevicesIds: []string{"GPU-fake-0", "GPU-fake-2"}},
	}})
	if err != nil {
		t.Fatalf("Allocate: %v", err)
	}
	if len(resp.ContainerResponses) != 2 {
		t.Fatalf("Allocate answered %d containers; want 2", len(resp.ContainerResponses))
	}
	for i, want := range []string{"GPU-fake-1", "GPU-fake-0,GPU-fake-2"} {
		envs := resp.ContainerResponses[i].Envs
		if envs["NVIDIA_VISIBLE_DEVICES"] != want || envs["VOICEPLAT_FAKE_GPU"] != "1" ||
			envs["VOICEPLAT_FAKE_GPU_PRODUCT"] != "Fake-Test-GPU" {
			t.Errorf("container %d envs %v; want NVIDIA_VISIBLE_DEVICES=%s VOICEPLAT_FAKE_GPU=1 "+
				"VOICEPLAT_FAKE_GPU_PRODUCT=Fake-Test-GPU", i, envs, want)
		}
	}
}

func TestAllocateRejectsADeviceThePluginDoesNotHave(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))

	_, err := kubelet.next(t).client.Allocate(context.Background(), &api.AllocateRequest{
		ContainerRequests: []*api.ContainerAllocateRequest{{DevicesIds: []string{"GPU-fake-7"}}}})
	if status.Code(err) != codes.InvalidArgument {
		t.Fatalf("Allocate of an unknown device returned %v; want InvalidArgument", err)
	}
}

func TestPreferredAllocationKeepsRequiredDevicesThenTakesTheLowestNumbered(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 12))
	reg := kubelet.next(t)

	resp, err := reg.client.GetPreferredAllocation(context.Background(), &api.PreferredAllocationRequest{
		ContainerRequests: []*api.ContainerPreferredAllocationRequest{{
			AvailableDeviceIDs:   []string{"GPU-fake-11", "GPU-fake-10", "GPU-fake-7", "GPU-fake-2"},
			MustIncludeDeviceIDs: []string{"GPU-fake-11"},
			AllocationSize:       3,
		}}})
	if err != nil {
		t.Fatalf("GetPreferredAllocation: %v", err)
	}
	if got, want := resp.ContainerResponses[0].DeviceIDs, []string{"GPU-fake-11", "GPU-fake-2", "GPU-fake-7"}; !slices.Equal(got, want) {
		t.Fatalf("preferred allocation %v; want %v", got, want)
	}
	if _, err := reg.client.PreStartContainer(context.Background(), &api.PreStartContainerRequest{
		DevicesIds: []string{"GPU-fake-0"}}); err != nil {
		t.Fatalf("PreStartContainer: %v", err)
	}
}

func TestRegistersOnceTheKubeletSocketAppears(t *testing.T) {
	dir := socketDir(t)
	startPlugin(t, testConfig(dir, 1))
	kubelet := startFakeKubelet(t, dir)

	if got := kubelet.next(t).req.ResourceName; got != "nvidia.com/gpu" {
		t.Fatalf("registered resource %q; want nvidia.com/gpu", got)
	}
}

// restartKubelet stops the kubelet, optionally deletes the other sockets as a starting kubelet does, and starts
// a new one on a new socket.
func restartKubelet(t *testing.T, old *fakeKubelet, deletePluginSockets bool) *fakeKubelet {
	t.Helper()
	old.stop()
	if deletePluginSockets {
		if err := os.Remove(filepath.Join(old.dir, defaultSocketName)); err != nil {
			t.Fatalf("deleting the plugin socket as a starting kubelet does: %v", err)
		}
	}
	return startFakeKubelet(t, old.dir)
}

func TestReRegistersAfterAKubeletRestartThatDeletesThePluginSocket(t *testing.T) {
	dir := socketDir(t)
	first := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))
	first.next(t)

	second := restartKubelet(t, first, true)
	reg := second.next(t)
	if _, err := reg.client.Allocate(context.Background(), &api.AllocateRequest{
		ContainerRequests: []*api.ContainerAllocateRequest{{DevicesIds: []string{"GPU-fake-1"}}}}); err != nil {
		t.Fatalf("Allocate through the re-registered plugin: %v", err)
	}
}

func TestReRegistersWhenTheKubeletRestartsWithoutTouchingThePluginSocket(t *testing.T) {
	dir := socketDir(t)
	first := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))
	first.next(t)

	second := restartKubelet(t, first, false)
	if got := len(second.next(t).devices); got != 2 {
		t.Fatalf("re-registered plugin lists %d devices; want 2", got)
	}
}

func TestReRegistersWhenTheKubeletClosesItsDeviceStream(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))
	kubelet.next(t)

	kubelet.dropPlugins()
	if got := kubelet.next(t).req.ResourceName; got != "nvidia.com/gpu" {
		t.Fatalf("re-registered resource %q; want nvidia.com/gpu", got)
	}
}

func TestReRegistersWhenANewKubeletSocketReplacesTheOldOne(t *testing.T) {
	dir := socketDir(t)
	first := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))
	first.next(t)

	// The first kubelet keeps its stream to the plugin open and the plugin socket stays: only the new
	// kubelet.sock (a new file, renamed into place) can tell the plugin to register again.
	second := startFakeKubeletAt(t, dir, filepath.Join(dir, "kubelet.sock.new"))
	if err := os.Rename(filepath.Join(dir, "kubelet.sock.new"), filepath.Join(dir, "kubelet.sock")); err != nil {
		t.Fatal(err)
	}
	if got := second.next(t).req.Endpoint; got != defaultSocketName {
		t.Fatalf("registered endpoint %q at the new kubelet; want %s", got, defaultSocketName)
	}
}

func TestReRegistersWhenThePluginSocketIsDeleted(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	startPlugin(t, testConfig(dir, 2))
	kubelet.next(t)

	if err := os.Remove(filepath.Join(dir, defaultSocketName)); err != nil {
		t.Fatal(err)
	}
	if got := kubelet.next(t).req.Endpoint; got != defaultSocketName {
		t.Fatalf("re-registered endpoint %q; want %s", got, defaultSocketName)
	}
}

func TestStopClosesTheDeviceStreamAndRemovesTheSocket(t *testing.T) {
	dir := socketDir(t)
	kubelet := startFakeKubelet(t, dir)
	stop := startPlugin(t, testConfig(dir, 2))
	reg := kubelet.next(t)

	if err := stop(); err != nil {
		t.Fatalf("run returned %v after cancel; want nil", err)
	}
	ended := make(chan error, 1)
	go func() { _, err := reg.stream.Recv(); ended <- err }()
	select {
	case err := <-ended:
		if err == nil {
			t.Fatal("ListAndWatch sent another message after stop; want the stream to end")
		}
	case <-time.After(deadline):
		t.Fatal("ListAndWatch stream still open after the plugin stopped")
	}
	if _, err := os.Stat(filepath.Join(dir, defaultSocketName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("plugin socket still present after stop (stat error %v)", err)
	}
}

func TestRunExitsNamingTheSocketWhenItCannotBeCreated(t *testing.T) {
	dir := socketDir(t)
	startFakeKubelet(t, dir)
	blocker := filepath.Join(dir, defaultSocketName)
	// A non-empty directory where the socket goes: not even root can replace it with a socket.
	if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- run(context.Background(), testConfig(dir, 1), discardLogger) }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), blocker) {
			t.Fatalf("run returned %v; want an error naming %s", err, blocker)
		}
	case <-time.After(deadline):
		t.Fatal("run kept going although it cannot create its socket; want it to exit with an error")
	}
}
