package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestJobsConfigRefusesWhatCannotWork(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"bad queue":       {"RABBITMQ_URL": "amqp://x", "CONSUME_QUEUE": "Text Jobs"},
		"bad prefetch":    {"RABBITMQ_URL": "amqp://x", "CONSUME_QUEUE": "text-jobs", "CONSUME_PREFETCH": "0"},
		"queue, no url":   {"CONSUME_QUEUE": "text-jobs"},
		"prefetch a word": {"CONSUME_PREFETCH": "many"},
	} {
		if _, err := jobsConfigFromEnv(func(k string) string { return env[k] }); err == nil {
			t.Errorf("%s: %v accepted", name, env)
		}
	}
	cfg, err := jobsConfigFromEnv(func(k string) string {
		return map[string]string{"RABBITMQ_URL": "amqp://x", "CONSUME_QUEUE": "text-jobs"}[k]
	})
	if err != nil || cfg.prefetch != defaultPrefetch || cfg.queue != "text-jobs" {
		t.Fatalf("got %+v, %v", cfg, err)
	}
}

func TestJobsAnswerWhyTheyCannotBePublished(t *testing.T) {
	srv := newServer(serverOptions{serviceName: "rest-api"})
	cases := map[string]int{"/jobs?queue=text-jobs&count=1&work_ms=0": http.StatusServiceUnavailable}
	check := func() {
		for target, want := range cases {
			rec := httptest.NewRecorder()
			srv.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, target, nil))
			if rec.Code != want {
				t.Errorf("POST %s: %d %s, want %d", target, rec.Code, strings.TrimSpace(rec.Body.String()), want)
			}
		}
	}
	check()
	srv.jobs = newJobs(jobsConfig{url: "amqp://127.0.0.1:1/"}, prometheus.NewRegistry())
	cases = map[string]int{
		"/jobs?queue=Bad&count=1&work_ms=0":        http.StatusBadRequest,
		"/jobs?queue=text-jobs&count=0&work_ms=0":  http.StatusBadRequest,
		"/jobs?queue=text-jobs&count=1&work_ms=-1": http.StatusBadRequest,
		"/jobs?queue=text-jobs&count=1&work_ms=0":  http.StatusBadGateway, // nothing listens on port 1
	}
	check()
}
