package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	api "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

// Environment variables Allocate sets in every container that gets devices.
const (
	// envVisibleDevices is what the NVIDIA container toolkit and CUDA read; workloads report it.
	envVisibleDevices = "NVIDIA_VISIBLE_DEVICES"
	// envFakeGPU and envFakeProduct tell a workload (and a person exec'ing into it) the GPU is not real.
	envFakeGPU     = "VOICEPLAT_FAKE_GPU"
	envFakeProduct = "VOICEPLAT_FAKE_GPU_PRODUCT"
)

// deviceID names fake device i; the "GPU-" prefix mirrors the form of real NVIDIA UUIDs.
func deviceID(i int) string { return "GPU-fake-" + strconv.Itoa(i) }

// devicePlugin serves the kubelet's DevicePlugin API for a fixed set of always-healthy fake devices.
type devicePlugin struct {
	api.UnimplementedDevicePluginServer
	cfg     config
	ids     []string
	known   map[string]bool
	stopped <-chan struct{} // closed when the serving socket shuts down; ends ListAndWatch streams
	// lost hears when the kubelet ends a ListAndWatch stream while the plugin still serves: the kubelet died,
	// restarted or dropped the plugin, and in each case registering again is what brings the devices back.
	lost chan<- struct{}
	log  *slog.Logger
}

func newDevicePlugin(cfg config, stopped <-chan struct{}, lost chan<- struct{}, log *slog.Logger) *devicePlugin {
	p := &devicePlugin{cfg: cfg, known: map[string]bool{}, stopped: stopped, lost: lost, log: log}
	for i := range cfg.deviceCount {
		p.ids = append(p.ids, deviceID(i))
		p.known[deviceID(i)] = true
	}
	return p
}

// pluginOptions are sent at registration and from GetDevicePluginOptions; the two must agree.
func pluginOptions() *api.DevicePluginOptions {
	return &api.DevicePluginOptions{PreStartRequired: false, GetPreferredAllocationAvailable: true}
}

func (p *devicePlugin) GetDevicePluginOptions(context.Context, *api.Empty) (*api.DevicePluginOptions, error) {
	return pluginOptions(), nil
}

// ListAndWatch sends the device list once: fake devices never change health. The stream then stays open until
// the kubelet hangs up or the plugin stops, because the kubelet treats a closed stream as the plugin going away.
func (p *devicePlugin) ListAndWatch(_ *api.Empty, stream api.DevicePlugin_ListAndWatchServer) error {
	resp := &api.ListAndWatchResponse{}
	for _, id := range p.ids {
		resp.Devices = append(resp.Devices, &api.Device{ID: id, Health: api.Healthy})
	}
	if err := stream.Send(resp); err != nil {
		p.reportLost()
		return fmt.Errorf("sending the device list to the kubelet: %w", err)
	}
	p.log.Info("sent device list to the kubelet", "resource", p.cfg.resourceName, "devices", strings.Join(p.ids, ","))
	select {
	case <-p.stopped:
	case <-stream.Context().Done():
		p.reportLost()
	}
	return nil
}

// reportLost tells the runner the kubelet's stream ended, unless the plugin is closing the socket itself.
func (p *devicePlugin) reportLost() {
	select {
	case <-p.stopped:
		return
	default:
	}
	select {
	case p.lost <- struct{}{}:
		p.log.Info("the kubelet's device stream ended", "resource", p.cfg.resourceName)
	default: // a re-registration is already pending
	}
}

// GetPreferredAllocation keeps the devices the kubelet must include, then fills up with the lowest-numbered
// available ones, so allocations are predictable (GPU-fake-0 first) in tests.
func (p *devicePlugin) GetPreferredAllocation(_ context.Context, req *api.PreferredAllocationRequest) (*api.PreferredAllocationResponse, error) {
	resp := &api.PreferredAllocationResponse{}
	for _, creq := range req.ContainerRequests {
		size := int(creq.AllocationSize)
		if size > len(creq.AvailableDeviceIDs) {
			return nil, status.Errorf(codes.InvalidArgument, "allocation size %d exceeds the %d available devices %v",
				size, len(creq.AvailableDeviceIDs), creq.AvailableDeviceIDs)
		}
		chosen := slices.Clone(creq.MustIncludeDeviceIDs)
		rest := slices.Clone(creq.AvailableDeviceIDs)
		slices.SortFunc(rest, p.compareIDs)
		for _, id := range rest {
			if len(chosen) >= size {
				break
			}
			if !slices.Contains(chosen, id) {
				chosen = append(chosen, id)
			}
		}
		resp.ContainerResponses = append(resp.ContainerResponses,
			&api.ContainerPreferredAllocationResponse{DeviceIDs: chosen})
	}
	return resp, nil
}

// compareIDs orders devices by index (GPU-fake-2 before GPU-fake-10), unknown IDs last.
func (p *devicePlugin) compareIDs(a, b string) int {
	return p.index(a) - p.index(b)
}

func (p *devicePlugin) index(id string) int {
	if i := slices.Index(p.ids, id); i >= 0 {
		return i
	}
	return len(p.ids)
}

// Allocate tells the kubelet what to inject into each container: the IDs it was given, in NVIDIA's variable.
func (p *devicePlugin) Allocate(_ context.Context, req *api.AllocateRequest) (*api.AllocateResponse, error) {
	resp := &api.AllocateResponse{}
	for _, creq := range req.ContainerRequests {
		for _, id := range creq.DevicesIds {
			if !p.known[id] {
				return nil, status.Errorf(codes.InvalidArgument, "device %q is not one of this plugin's devices %v: "+
					"the kubelet's checkpoint is stale; delete the plugin pod so it re-registers", id, p.ids)
			}
		}
		resp.ContainerResponses = append(resp.ContainerResponses, &api.ContainerAllocateResponse{
			Envs: map[string]string{
				envVisibleDevices: strings.Join(creq.DevicesIds, ","),
				envFakeGPU:        "1",
				envFakeProduct:    p.cfg.product,
			},
		})
		p.log.Info("allocated devices", "resource", p.cfg.resourceName, "devices", strings.Join(creq.DevicesIds, ","))
	}
	return resp, nil
}

// PreStartContainer has nothing to prepare (options say PreStartRequired=false), but answers if called.
func (p *devicePlugin) PreStartContainer(context.Context, *api.PreStartContainerRequest) (*api.PreStartContainerResponse, error) {
	return &api.PreStartContainerResponse{}, nil
}
