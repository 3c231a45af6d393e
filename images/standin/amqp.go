package main

// Jobs through RabbitMQ, as the platform's services use it: the REST API publishes jobs (persistent messages on
// durable queues, each with an id and confirmed by the broker before the request answers); text and media consume
// their queue with a bounded prefetch and ack each job only after its work is done, so a pod that stops hands its
// unacked jobs back to the queue. Delivery is at least once: an ack the broker lost (it stopped before the ack
// reached its disk) brings the job back, so a consumer works each id once (doneIDs) and acks a redelivery of one
// it finished without working it again. The stand-in remembers ids in memory, which covers redeliveries to the
// same consumer; a service with several consumers keeps them where they all read, beside the work's effect.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	amqp "github.com/rabbitmq/amqp091-go"
)

const (
	maxJobsPerRequest = 10_000
	defaultPrefetch   = 4
	redialEvery       = 2 * time.Second
	// rememberedJobs bounds the ids a consumer keeps of the jobs it finished: far more than a broker restart
	// redelivers (its unacked jobs, at most the prefetch per consumer).
	rememberedJobs = 100_000
)

var queueName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// jobsConfig is what the process reads for the broker: RABBITMQ_URL (the `rabbitmq-url` key of the service's
// Secret), CONSUME_QUEUE (a consumer's queue) and CONSUME_PREFETCH (jobs a consumer holds unacked at once).
type jobsConfig struct {
	url      string
	queue    string
	prefetch int
}

func jobsConfigFromEnv(getenv func(string) string) (jobsConfig, error) {
	cfg := jobsConfig{url: getenv("RABBITMQ_URL"), queue: getenv("CONSUME_QUEUE"), prefetch: defaultPrefetch}
	if cfg.queue != "" && !queueName.MatchString(cfg.queue) {
		return cfg, fmt.Errorf("CONSUME_QUEUE=%q is not a queue name: use lower-case letters, digits, . _ -", cfg.queue)
	}
	if v := getenv("CONSUME_PREFETCH"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return cfg, fmt.Errorf("CONSUME_PREFETCH=%q is not a prefetch count: give a number from 1 to 1000", v)
		}
		cfg.prefetch = n
	}
	if cfg.queue != "" && cfg.url == "" {
		return cfg, fmt.Errorf("CONSUME_QUEUE=%s needs RABBITMQ_URL: give the service its Secret's rabbitmq-url", cfg.queue)
	}
	return cfg, nil
}

// job is one message's body.
type job struct {
	WorkMillis    int   `json:"work_ms"`
	PublishedNano int64 `json:"published_ns"`
}

type jobs struct {
	cfg       jobsConfig
	mu        sync.Mutex
	conn      *amqp.Connection
	publisher *amqp.Channel
	published *prometheus.CounterVec
	acked     *prometheus.CounterVec
	repeated  *prometheus.CounterVec
	latency   *prometheus.HistogramVec
	done      *doneIDs
}

func newJobs(cfg jobsConfig, registry *prometheus.Registry) *jobs {
	j := &jobs{
		cfg: cfg,
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobs_published_total", Help: "Jobs published and confirmed by the broker, by queue.",
		}, []string{"queue"}),
		acked: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobs_acked_total", Help: "Jobs consumed, worked and acked, by queue.",
		}, []string{"queue"}),
		repeated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "jobs_redelivered_done_total",
			Help: "Redeliveries of jobs this consumer had already worked (the broker lost the ack): acked, not worked.",
		}, []string{"queue"}),
		done: newDoneIDs(rememberedJobs),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "job_publish_to_ack_seconds",
			Help:    "From a job's publication to its ack, by queue.",
			Buckets: []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"queue"}),
	}
	registry.MustRegister(j.published, j.acked, j.repeated, j.latency)
	return j
}

// channel opens a channel on the shared connection, dialling again when the connection is gone.
func (j *jobs) channel() (*amqp.Channel, error) {
	if j.conn == nil || j.conn.IsClosed() {
		conn, err := amqp.Dial(j.cfg.url)
		if err != nil {
			return nil, fmt.Errorf("cannot reach RabbitMQ (is it up, and RABBITMQ_URL right?): %w", err)
		}
		j.conn, j.publisher = conn, nil
	}
	return j.conn.Channel()
}

func declare(ch *amqp.Channel, queue string) error {
	_, err := ch.QueueDeclare(queue, true, false, false, false, nil)
	return err
}

// nothingQueued is a publish that failed before any of its jobs left for the broker: none of them is queued. Any
// other failure may have left jobs queued (the broker stores a job and stops before it confirms).
type nothingQueued struct{ err error }

func (e nothingQueued) Error() string { return e.err.Error() }
func (e nothingQueued) Unwrap() error { return e.err }

// publish sends count persistent jobs to queue and returns once the broker confirmed each of them.
func (j *jobs) publish(ctx context.Context, queue string, count, workMillis int) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.publisher == nil || j.publisher.IsClosed() || j.conn.IsClosed() {
		ch, err := j.channel()
		if err != nil {
			return nothingQueued{err}
		}
		if err := ch.Confirm(false); err != nil {
			return nothingQueued{fmt.Errorf("the broker refused publisher confirms: %w", err)}
		}
		j.publisher = ch
	}
	if err := declare(j.publisher, queue); err != nil {
		return nothingQueued{fmt.Errorf("cannot declare queue %s: %w", queue, err)}
	}
	confirms := make([]*amqp.DeferredConfirmation, 0, count)
	for range count {
		body, _ := json.Marshal(job{WorkMillis: workMillis, PublishedNano: time.Now().UnixNano()})
		confirm, err := j.publisher.PublishWithDeferredConfirmWithContext(ctx, "", queue, true, false, amqp.Publishing{
			DeliveryMode: amqp.Persistent, ContentType: "application/json", Body: body, Timestamp: time.Now(),
			MessageId: randomID("job-", 8),
		})
		if err != nil {
			err = fmt.Errorf("publish to %s: %w", queue, err)
			if len(confirms) == 0 {
				return nothingQueued{err}
			}
			return err
		}
		confirms = append(confirms, confirm)
	}
	for _, confirm := range confirms {
		ok, err := confirm.WaitContext(ctx)
		if err != nil || !ok {
			return fmt.Errorf("the broker did not confirm a job on %s (nacked or closed): %v", queue, err)
		}
		j.published.WithLabelValues(queue).Inc()
	}
	return nil
}

// handleJobs publishes jobs: POST /jobs?queue=Q&count=N&work_ms=M.
func (s *server) handleJobs(w http.ResponseWriter, r *http.Request) {
	if s.jobs == nil || s.jobs.cfg.url == "" {
		http.Error(w, "no broker: set RABBITMQ_URL (the service's Secret, key rabbitmq-url)", http.StatusServiceUnavailable)
		return
	}
	query := r.URL.Query()
	queue := query.Get("queue")
	count, countErr := strconv.Atoi(query.Get("count"))
	work, workErr := strconv.Atoi(query.Get("work_ms"))
	switch {
	case !queueName.MatchString(queue):
		http.Error(w, fmt.Sprintf("queue=%q is not a queue name: lower-case letters, digits, . _ -", queue), http.StatusBadRequest)
		return
	case countErr != nil || count < 1 || count > maxJobsPerRequest:
		http.Error(w, fmt.Sprintf("count=%q: give a number of jobs from 1 to %d", query.Get("count"), maxJobsPerRequest),
			http.StatusBadRequest)
		return
	case workErr != nil || work < 0 || work > maxWorkMillis:
		http.Error(w, fmt.Sprintf("work_ms=%q: give the milliseconds a job takes, 0 to %d", query.Get("work_ms"),
			maxWorkMillis), http.StatusBadRequest)
		return
	}
	if err := s.jobs.publish(r.Context(), queue, count, work); err != nil {
		// A client retries a refusal safely only when it knows nothing was queued: the answer says which.
		var none nothingQueued
		writeJSON(w, http.StatusBadGateway, map[string]any{"error": err.Error(), "maybe_queued": !errors.As(err, &none)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"queue": queue, "published": count})
}

// consume works the configured queue until ctx ends, dialling again after a lost connection. On ctx's end it
// cancels its subscription, finishes and acks the job in hand, and closes: prefetched jobs go back to the queue.
func (j *jobs) consume(ctx context.Context) {
	for ctx.Err() == nil {
		if err := j.consumeOnce(ctx); err != nil {
			log.Printf("standin: consuming %s: %v; again in %s", j.cfg.queue, err, redialEvery)
		}
		select {
		case <-ctx.Done():
		case <-time.After(redialEvery):
		}
	}
}

func (j *jobs) consumeOnce(ctx context.Context) error {
	j.mu.Lock()
	ch, err := j.channel()
	j.mu.Unlock()
	if err != nil {
		return err
	}
	defer ch.Close()
	if err := declare(ch, j.cfg.queue); err != nil {
		return fmt.Errorf("cannot declare queue: %w", err)
	}
	if err := ch.Qos(j.cfg.prefetch, 0, false); err != nil {
		return fmt.Errorf("cannot set prefetch %d: %w", j.cfg.prefetch, err)
	}
	tag := fmt.Sprintf("standin-%d", time.Now().UnixNano())
	deliveries, err := ch.Consume(j.cfg.queue, tag, false, false, false, false, nil)
	if err != nil {
		return fmt.Errorf("cannot consume: %w", err)
	}
	log.Printf("standin: consuming %s (prefetch %d)", j.cfg.queue, j.cfg.prefetch)
	for {
		if ctx.Err() != nil { // checked first: a delivery ready beside the signal must not start another job
			return ch.Cancel(tag, false)
		}
		select {
		case <-ctx.Done():
			return ch.Cancel(tag, false)
		case delivery, open := <-deliveries:
			if !open {
				return fmt.Errorf("the broker closed the subscription")
			}
			j.work(delivery)
		}
	}
}

// work does one job (waits its work_ms: an I/O-bound call), then acks it; a body that is no job is rejected, and a
// redelivery of a job this consumer finished is acked without working it again.
func (j *jobs) work(delivery amqp.Delivery) {
	var body job
	if err := json.Unmarshal(delivery.Body, &body); err != nil || body.WorkMillis < 0 || body.WorkMillis > maxWorkMillis {
		log.Printf("standin: rejecting a message on %s that is no job: %q", j.cfg.queue, delivery.Body)
		_ = delivery.Reject(false)
		return
	}
	if delivery.Redelivered && delivery.MessageId != "" && j.done.has(delivery.MessageId) {
		if err := delivery.Ack(false); err == nil {
			j.repeated.WithLabelValues(j.cfg.queue).Inc()
		}
		return
	}
	time.Sleep(time.Duration(body.WorkMillis) * time.Millisecond)
	if err := delivery.Ack(false); err != nil {
		log.Printf("standin: ack on %s failed (the job goes back to the queue): %v", j.cfg.queue, err)
		return
	}
	if delivery.MessageId != "" {
		j.done.add(delivery.MessageId)
	}
	j.acked.WithLabelValues(j.cfg.queue).Inc()
	j.latency.WithLabelValues(j.cfg.queue).Observe(time.Since(time.Unix(0, body.PublishedNano)).Seconds())
}
