package main

import (
	"strings"
	"testing"
	"time"
)

func envOf(vars map[string]string) func(string) string {
	return func(key string) string { return vars[key] }
}

func TestDefaultsMatchTheKubeletAndTheGPUContract(t *testing.T) {
	c, err := parseConfig(nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.resourceName != "nvidia.com/gpu" || c.deviceCount != 2 || c.pluginDir != "/var/lib/kubelet/device-plugins" ||
		c.kubeletSocket() != "/var/lib/kubelet/device-plugins/kubelet.sock" || c.pollInterval != time.Second {
		t.Fatalf("defaults %+v; want nvidia.com/gpu, 2 devices, the kubelet's device-plugin dir, 1s", c)
	}
}

func TestEnvironmentSetsTheConfigAndFlagsOverrideIt(t *testing.T) {
	env := envOf(map[string]string{"FAKE_GPU_COUNT": "4", "FAKE_GPU_PRODUCT": "Env-GPU", "FAKE_GPU_PLUGIN_DIR": "/dp"})
	c, err := parseConfig([]string{"-product", "Flag-GPU"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.deviceCount != 4 || c.product != "Flag-GPU" || c.pluginSocket() != "/dp/voiceplat-fake-gpu.sock" {
		t.Fatalf("config %+v; want 4 devices from env, product from the flag, socket in /dp", c)
	}
}

func TestInvalidSettingsAreRejectedNamingTheSettingAndTheFix(t *testing.T) {
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"zero devices", nil, map[string]string{"FAKE_GPU_COUNT": "0"}, []string{`"0"`, "FAKE_GPU_COUNT", "1 to 128"}},
		{"count not a number", []string{"-device-count", "two"}, nil, []string{`"two"`, "-device-count"}},
		{"resource without domain", []string{"-resource-name", "gpu"}, nil, []string{`"gpu"`, "<vendor-domain>/<name>"}},
		{"kubernetes.io resource", []string{"-resource-name", "kubernetes.io/gpu"}, nil, []string{"not an extended resource"}},
		{"relative dir", []string{"-device-plugin-dir", "device-plugins"}, nil, []string{"relative", "absolute"}},
		{"socket named like the kubelet's", []string{"-socket-name", "kubelet.sock"}, nil, []string{"other than kubelet.sock"}},
		{"bad poll interval", nil, map[string]string{"FAKE_GPU_POLL_INTERVAL": "soon"}, []string{`"soon"`, "1s"}},
		{"stray argument", []string{"extra"}, nil, []string{"flags only"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseConfig(tc.args, envOf(tc.env))
			if err == nil {
				t.Fatal("accepted; want an error")
			}
			for _, part := range tc.want {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("error %q does not mention %q", err, part)
				}
			}
		})
	}
}
