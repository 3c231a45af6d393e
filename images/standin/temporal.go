package main

// The stand-in as the platform's services use Temporal: the REST API starts a workflow on request (POST
// /workflows), a worker (TEMPORAL_TASK_QUEUE set: temporal-worker-go) polls its task queue and runs the activity,
// which does the stand-in's work (CPU time, as /work) and reports the pod that ran it. The workflow and activity
// are registered by name, the same names the Python worker (images/temporal-worker-python) registers, so either
// language's worker runs a workflow started here.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

const (
	workflowName = "StandinWorkflow"
	activityName = "StandinActivity"
	// startTimeout bounds the REST API's call to Temporal's frontend.
	startTimeout = 10 * time.Second
)

// temporalConfig is what the charts give a service: TEMPORAL_ADDRESS (host:port of the frontend),
// TEMPORAL_NAMESPACE (default `default`) and, for a worker, TEMPORAL_TASK_QUEUE.
type temporalConfig struct {
	address   string
	namespace string
	taskQueue string
}

func temporalFromEnv(getenv func(string) string) temporalConfig {
	cfg := temporalConfig{address: getenv("TEMPORAL_ADDRESS"), namespace: getenv("TEMPORAL_NAMESPACE"),
		taskQueue: getenv("TEMPORAL_TASK_QUEUE")}
	if cfg.namespace == "" {
		cfg.namespace = "default"
	}
	return cfg
}

// workInput is the workflow's and the activity's input; workResult their result (JSON, as Python reads it).
type workInput struct {
	WorkMs int `json:"work_ms"`
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
	if in.WorkMs < 0 || in.WorkMs > maxWorkMillis {
		return workResult{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("work_ms=%d is not from 0 to %d", in.WorkMs, maxWorkMillis), "BadInput", nil)
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
// a worker, polls its task queue until ctx ends. It returns nil when TEMPORAL_ADDRESS is unset.
func startTemporal(ctx context.Context, cfg temporalConfig, hostname, service string) (client.Client, error) {
	if cfg.address == "" {
		return nil, nil
	}
	c, err := client.NewLazyClient(client.Options{HostPort: cfg.address, Namespace: cfg.namespace, Identity: hostname})
	if err != nil {
		return nil, fmt.Errorf("TEMPORAL_ADDRESS=%q: cannot make a Temporal client: %w", cfg.address, err)
	}
	if cfg.taskQueue == "" {
		return c, nil
	}
	acts := &activities{hostname: hostname, service: service}
	newWorker := func() worker.Worker {
		w := worker.New(c, cfg.taskQueue, worker.Options{Identity: hostname})
		w.RegisterWorkflowWithOptions(standinWorkflow, workflow.RegisterOptions{Name: workflowName})
		w.RegisterActivityWithOptions(acts.run, activity.RegisterOptions{Name: activityName})
		return w
	}
	go func() {
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
	return c, nil
}

func interrupted(ctx context.Context) <-chan interface{} {
	ch := make(chan interface{})
	go func() { <-ctx.Done(); close(ch) }()
	return ch
}

// handleStartWorkflow starts the stand-in workflow: POST /workflows?task_queue=Q&work_ms=N. It answers 202 with
// the workflow's id and run id; the workflow completes on whichever worker polls Q.
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
	ms, err := strconv.Atoi(r.URL.Query().Get("work_ms"))
	if r.URL.Query().Get("work_ms") == "" {
		ms, err = 0, nil
	}
	if err != nil || ms < 0 || ms > maxWorkMillis {
		http.Error(w, fmt.Sprintf("work_ms=%q is not valid: give a whole number of milliseconds from 0 to %d",
			r.URL.Query().Get("work_ms"), maxWorkMillis), http.StatusBadRequest)
		return
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	ctx, cancel := context.WithTimeout(r.Context(), startTimeout)
	defer cancel()
	run, err := s.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: "standin-" + hex.EncodeToString(id), TaskQueue: queue, WorkflowExecutionTimeout: 10 * time.Minute,
	}, workflowName, workInput{WorkMs: ms})
	if err != nil {
		http.Error(w, fmt.Sprintf("Temporal refused the workflow: %v", err), http.StatusBadGateway)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{
		"workflow_id": run.GetID(), "run_id": run.GetRunID(), "task_queue": queue,
	})
}
