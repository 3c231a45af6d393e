package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// gpuReport is what GET /gpu answers: the devices the kubelet (through the device plugin) gave the pod.
type gpuReport struct {
	// NvidiaVisibleDevices is the raw variable the device plugin sets on allocation.
	NvidiaVisibleDevices string `json:"nvidia_visible_devices"`
	// Devices are its IDs; empty when the variable is unset, empty, "void" or "none" (NVIDIA's
	// spellings for "no GPU").
	Devices []string `json:"devices"`
	// DeviceFiles are the /dev/nvidia* nodes mounted into the container.
	DeviceFiles []string `json:"device_files"`
}

func (s *server) handleGPU(w http.ResponseWriter, _ *http.Request) {
	raw := os.Getenv("NVIDIA_VISIBLE_DEVICES")
	report := gpuReport{NvidiaVisibleDevices: raw, Devices: []string{}, DeviceFiles: []string{}}
	if raw != "void" && raw != "none" {
		for _, id := range strings.Split(raw, ",") {
			if id = strings.TrimSpace(id); id != "" {
				report.Devices = append(report.Devices, id)
			}
		}
	}
	// Glob only fails on a malformed pattern, which is a constant here.
	if files, _ := filepath.Glob(s.opts.devGlob); files != nil {
		report.DeviceFiles = files
	}
	writeJSON(w, http.StatusOK, report)
}
