package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	amqp "github.com/rabbitmq/amqp091-go"
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

// A publish that cannot reach the broker says that nothing was queued, so a client may send the jobs again.
func TestAPublishThatNeverReachedTheBrokerSaysNothingWasQueued(t *testing.T) {
	srv := newServer(serverOptions{serviceName: "rest-api"})
	srv.jobs = newJobs(jobsConfig{url: "amqp://127.0.0.1:1/"}, prometheus.NewRegistry())
	rec := httptest.NewRecorder()
	srv.routes().ServeHTTP(rec, httptest.NewRequest("POST", "/jobs?queue=text-jobs&count=2&work_ms=0", nil))
	var answer struct {
		Error       string `json:"error"`
		MaybeQueued *bool  `json:"maybe_queued"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || rec.Code != http.StatusBadGateway ||
		answer.MaybeQueued == nil || *answer.MaybeQueued || !strings.Contains(answer.Error, "cannot reach RabbitMQ") {
		t.Fatalf("POST /jobs with no broker: %d %s (%v)", rec.Code, rec.Body.String(), err)
	}
}

// acks records what a consumer did with each delivery.
type acks struct{ acked, rejected int }

func (a *acks) Ack(uint64, bool) error        { a.acked++; return nil }
func (a *acks) Nack(uint64, bool, bool) error { return nil }
func (a *acks) Reject(uint64, bool) error     { a.rejected++; return nil }

func TestARedeliveredJobTheConsumerFinishedIsAckedNotWorkedAgain(t *testing.T) {
	j := newJobs(jobsConfig{queue: "text-jobs"}, prometheus.NewRegistry())
	broker := &acks{}
	deliver := func(id string, redelivered bool) {
		j.work(amqp.Delivery{Acknowledger: broker, MessageId: id, Redelivered: redelivered,
			Body: []byte(`{"work_ms":0,"published_ns":1}`)})
	}
	deliver("job-1", false)
	deliver("job-1", true) // its ack was lost with the broker
	deliver("job-2", true) // redelivered before this consumer finished it: worked
	worked := testutil.ToFloat64(j.acked.WithLabelValues("text-jobs"))
	repeated := testutil.ToFloat64(j.repeated.WithLabelValues("text-jobs"))
	if broker.acked != 3 || worked != 2 || repeated != 1 {
		t.Fatalf("acked %d, worked %v, repeated %v; want 3 acks, 2 jobs worked, 1 repeat", broker.acked, worked, repeated)
	}
}

func TestAConsumerForgetsTheOldestJobsBeyondItsBound(t *testing.T) {
	done := newDoneIDs(2)
	for _, id := range []string{"a", "b", "c"} {
		done.add(id)
	}
	if done.has("a") || !done.has("b") || !done.has("c") {
		t.Fatalf("remembers a=%v b=%v c=%v; want the last two only", done.has("a"), done.has("b"), done.has("c"))
	}
}
