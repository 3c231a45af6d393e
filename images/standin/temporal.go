package main

// The stand-in as the platform's services use Temporal: the REST API starts a workflow on request (POST
// /workflows), a worker (TEMPORAL_TASK_QUEUE set: temporal-worker-go) polls its task queue and runs the activity,
// which does the stand-in's work (CPU time, as /work) and reports the pod that ran it. The workflow and activity
// are registered by name, the same names the Python worker (images/temporal-worker-python) registers, so either
// language's worker runs a workflow started here.

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"golang.org/x/sync/errgroup"
)

const (
	workflowName = "StandinWorkflow"
	activityName = "StandinActivity"
	// startTimeout bounds the REST API's call to Temporal's frontend; resultTimeout its wait for a result, within
	// the Ingress's 60 s read timeout so the client hears the workflow's id rather than the proxy's 504.
	startTimeout  = 10 * time.Second
	resultTimeout = 50 * time.Second
)

// temporalConfig is what the charts give a service: TEMPORAL_ADDRESS (host:port of the frontend),
// TEMPORAL_NAMESPACE (default `default`) and, for a worker, TEMPORAL_TASK_QUEUE and
// TEMPORAL_MAX_CONCURRENT_ACTIVITIES (the activities one pod runs at once; unset, the SDK's default). A worker whose
// activities use its CPU bounds them, so what it cannot start waits in the task queue's backlog, which its HPA reads.
type temporalConfig struct {
	address       string
	namespace     string
	taskQueue     string
	activitySlots int
}

// maxActivitySlots bounds TEMPORAL_MAX_CONCURRENT_ACTIVITIES (the SDK's own default is 1000).
const maxActivitySlots = 1000

func temporalFromEnv(getenv func(string) string) (temporalConfig, error) {
	cfg := temporalConfig{address: getenv("TEMPORAL_ADDRESS"), namespace: getenv("TEMPORAL_NAMESPACE"),
		taskQueue: getenv("TEMPORAL_TASK_QUEUE")}
	if cfg.namespace == "" {
		cfg.namespace = "default"
	}
	if raw := getenv("TEMPORAL_MAX_CONCURRENT_ACTIVITIES"); raw != "" {
		slots, err := strconv.Atoi(raw)
		if err != nil || slots < 1 || slots > maxActivitySlots {
			return cfg, fmt.Errorf("TEMPORAL_MAX_CONCURRENT_ACTIVITIES=%q: give the activities a pod runs at once, "+
				"1 to %d (or leave it unset for the SDK's default)", raw, maxActivitySlots)
		}
		cfg.activitySlots = slots
	}
	return cfg, nil
}

// workInput is the workflow's and the activity's input; workResult their result (JSON, as Python reads it). WorkMs
// is CPU time the activity burns; WaitMs wall time it waits, as an activity calling a model or an API does.
type workInput struct {
	WorkMs int `json:"work_ms"`
	WaitMs int `json:"wait_ms,omitempty"`
}

type workResult struct {
	Worker   string  `json:"worker"`
	Service  string  `json:"service"`
	Language string  `json:"language"`
	CPUMs    float64 `json:"cpu_ms"`
}

// standinWorkflow runs the activity once on the workflow's own task queue and returns what it reported.
func standinWorkflow(ctx workflow.Context, in workInput) (workResult, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{MaximumAttempts: 3},
	})
	var out workResult
	err := workflow.ExecuteActivity(ctx, activityName, in).Get(ctx, &out)
	return out, err
}

// activities carry what the activity reports: the pod (hostname) and service it runs in.
type activities struct {
	hostname, service string
}

func (a *activities) run(ctx context.Context, in workInput) (workResult, error) {
	if in.WorkMs < 0 || in.WorkMs > maxWorkMillis || in.WaitMs < 0 || in.WaitMs > maxWorkMillis {
		return workResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("work_ms=%d, wait_ms=%d: each is from 0 to %d", in.WorkMs, in.WaitMs, maxWorkMillis),
			"BadInput", nil)
	}
	select {
	case <-ctx.Done():
		return workResult{}, ctx.Err()
	case <-time.After(time.Duration(in.WaitMs) * time.Millisecond):
	}
	spent, err := burnCPU(time.Duration(in.WorkMs) * time.Millisecond)
	if err != nil {
		return workResult{}, err
	}
	activity.GetLogger(ctx).Info("activity done", "worker", a.hostname, "cpu_ms", spent.Milliseconds())
	return workResult{Worker: a.hostname, Service: a.service, Language: "go",
		CPUMs: float64(spent.Microseconds()) / 1000}, nil
}

// startTemporal connects lazily (the service starts, and stays ready, while Temporal is still coming up) and, for
// a worker, polls its task queue until ctx ends. It returns nil when TEMPORAL_ADDRESS is unset. The channel closes
// once the worker has stopped: when ctx ends it polls no more and gives the activities it runs up to stopTimeout to
// finish and report, so a pod scaled down or rolled hands back no work for the server to time out and retry.
func startTemporal(ctx context.Context, cfg temporalConfig, hostname, service string,
	stopTimeout time.Duration) (client.Client, <-chan struct{}, error) {
	stopped := make(chan struct{})
	if cfg.address == "" {
		close(stopped)
		return nil, stopped, nil
	}
	c, err := client.NewLazyClient(client.Options{HostPort: cfg.address, Namespace: cfg.namespace, Identity: hostname})
	if err != nil {
		return nil, nil, fmt.Errorf("TEMPORAL_ADDRESS=%q: cannot make a Temporal client: %w", cfg.address, err)
	}
	if cfg.taskQueue == "" {
		close(stopped)
		return c, stopped, nil
	}
	acts := &activities{hostname: hostname, service: service}
	newWorker := func() worker.Worker {
		w := worker.New(c, cfg.taskQueue, worker.Options{Identity: hostname,
			MaxConcurrentActivityExecutionSize: cfg.activitySlots, WorkerStopTimeout: stopTimeout})
		w.RegisterWorkflowWithOptions(standinWorkflow, workflow.RegisterOptions{Name: workflowName})
		w.RegisterActivityWithOptions(acts.run, activity.RegisterOptions{Name: activityName})
		return w
	}
	go func() {
		defer close(stopped)
		// Run blocks until ctx ends; it fails while the frontend cannot be reached, so it is retried.
		for ctx.Err() == nil {
			if err := newWorker().Run(interrupted(ctx)); err != nil {
				log.Printf("standin: Temporal worker on %s (%s) stopped: %v; retrying", cfg.taskQueue, cfg.address, err)
				select {
				case <-ctx.Done():
				case <-time.After(2 * time.Second):
				}
			}
		}
	}()
	log.Printf("standin: Temporal worker polling task queue %s at %s (namespace %s)", cfg.taskQueue, cfg.address,
		cfg.namespace)
	return c, stopped, nil
}

func interrupted(ctx context.Context) <-chan interface{} {
	ch := make(chan interface{})
	go func() { <-ctx.Done(); close(ch) }()
	return ch
}

// handleStartWorkflow starts the stand-in workflow: POST /workflows?task_queue=Q&work_ms=N[&wait_ms=W][&count=C]
// [&result=true]. It answers 202 with the workflow's id and run id (with count, the ids of all C: startMany); each
// completes on whichever worker polls Q. With result=true it waits for the one workflow and
// answers with its result (writeResult). A start Temporal refuses ends the request (502) with what it started.
func (s *server) handleStartWorkflow(w http.ResponseWriter, r *http.Request) {
	if s.temporal == nil {
		http.Error(w, "this service has no Temporal client: set TEMPORAL_ADDRESS", http.StatusServiceUnavailable)
		return
	}
	queue := r.URL.Query().Get("task_queue")
	if queue == "" {
		http.Error(w, "task_queue is missing: name the task queue a worker polls (e.g. platform-go)",
			http.StatusBadRequest)
		return
	}
	ms, err := millisParam(r, "work_ms")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	waitMs, err := millisParam(r, "wait_ms")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	count := 1
	if raw := r.URL.Query().Get("count"); raw != "" {
		if count, err = strconv.Atoi(raw); err != nil || count < 1 || count > maxJobsPerRequest {
			http.Error(w, fmt.Sprintf("count=%q: give a number of workflows from 1 to %d", raw, maxJobsPerRequest),
				http.StatusBadRequest)
			return
		}
	}
	if count > 1 && r.URL.Query().Get("result") == "true" {
		http.Error(w, "result=true waits for one workflow: leave count out", http.StatusBadRequest)
		return
	}
	in := workInput{WorkMs: ms, WaitMs: waitMs}
	if r.URL.Query().Get("count") != "" {
		ids, err := startMany(r.Context(), count, func(ctx context.Context) (client.WorkflowRun, error) {
			return s.startWorkflow(ctx, queue, in)
		})
		if err != nil {
			writeRefused(w, err, map[string]any{"task_queue": queue, "started": len(ids), "workflow_ids": ids})
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"task_queue": queue, "started": len(ids), "workflow_ids": ids})
		return
	}
	started := time.Now()
	run, err := s.startWorkflow(r.Context(), queue, in)
	if err != nil {
		writeRefused(w, err, map[string]any{"task_queue": queue, "started": 0})
		return
	}
	if r.URL.Query().Get("result") == "true" {
		s.writeResult(r.Context(), w, run, started)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{
		"workflow_id": run.GetID(), "run_id": run.GetRunID(), "task_queue": queue,
	})
}

// writeRefused answers 502 when Temporal refused a start: the error, beside what the request did start.
func writeRefused(w http.ResponseWriter, err error, body map[string]any) {
	body["error"] = fmt.Sprintf("Temporal refused a workflow: %v", err)
	writeJSON(w, http.StatusBadGateway, body)
}

// startConcurrency bounds the starts one POST /workflows?count=C has in flight. Temporal's frontend answers a start
// in milliseconds when idle but in over half a second on a loaded node, where a hundred one after the other outlast
// the Ingress's 60 s read timeout.
const startConcurrency = 8

// startMany calls start count times, at most startConcurrency at once: the ids of the workflows started and the
// first refusal, after which no further start begins (those in flight finish and are counted).
func startMany(ctx context.Context, count int, start func(context.Context) (client.WorkflowRun, error)) ([]string, error) {
	group, refused := errgroup.WithContext(ctx)
	group.SetLimit(startConcurrency)
	var mu sync.Mutex
	ids := make([]string, 0, count)
	for range count {
		group.Go(func() error {
			if refused.Err() != nil {
				return nil
			}
			run, err := start(ctx)
			if err != nil {
				return err
			}
			mu.Lock()
			defer mu.Unlock()
			ids = append(ids, run.GetID())
			return nil
		})
	}
	err := group.Wait()
	return ids, err
}

// writeResult waits for the workflow (within resultTimeout) and answers 200 with its result and the seconds from
// the request's start to its completion, or 504 when it did not complete in time, 502 when it failed.
func (s *server) writeResult(ctx context.Context, w http.ResponseWriter, run client.WorkflowRun, started time.Time) {
	ctx, cancel := context.WithTimeout(ctx, resultTimeout)
	defer cancel()
	var out workResult
	if err := run.Get(ctx, &out); err != nil {
		status := http.StatusBadGateway
		if ctx.Err() != nil {
			status = http.StatusGatewayTimeout
		}
		writeJSON(w, status, map[string]any{"error": fmt.Sprintf("workflow %s: %v", run.GetID(), err),
			"workflow_id": run.GetID()})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"workflow_id": run.GetID(), "result": out,
		"seconds": time.Since(started).Seconds()})
}

// startWorkflow starts one stand-in workflow on queue, its id random, within startTimeout.
func (s *server) startWorkflow(ctx context.Context, queue string, in workInput) (client.WorkflowRun, error) {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	return s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: randomID("standin-", 8), TaskQueue: queue, WorkflowExecutionTimeout: 10 * time.Minute,
	}, workflowName, in)
}
