package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

func TestTheWorkflowRunsTheActivityAndReturnsThePodThatRanIt(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	// A busy CI machine can starve the workflow goroutine for a second, which the default detector calls a deadlock.
	env.SetWorkerOptions(worker.Options{DeadlockDetectionTimeout: time.Minute})
	env.RegisterWorkflowWithOptions(standinWorkflow, workflow.RegisterOptions{Name: workflowName})
	env.RegisterActivityWithOptions((&activities{hostname: "temporal-worker-go-abc", service: "temporal-worker-go"}).run,
		activity.RegisterOptions{Name: activityName})
	env.ExecuteWorkflow(workflowName, workInput{WorkMs: 1})
	if !env.IsWorkflowCompleted() || env.GetWorkflowError() != nil {
		t.Fatalf("workflow did not complete: %v", env.GetWorkflowError())
	}
	var out workResult
	if err := env.GetWorkflowResult(&out); err != nil {
		t.Fatal(err)
	}
	if out.Worker != "temporal-worker-go-abc" || out.Service != "temporal-worker-go" || out.Language != "go" {
		t.Fatalf("result %+v does not name the worker pod and service", out)
	}
}

func TestTheActivityRefusesWorkOutOfBoundsWithoutRetrying(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivityWithOptions((&activities{hostname: "h", service: "s"}).run,
		activity.RegisterOptions{Name: activityName})
	if _, err := env.ExecuteActivity(activityName, workInput{WorkMs: maxWorkMillis + 1}); err == nil {
		t.Fatal("work_ms above the bound was accepted")
	}
}

func TestStartingAWorkflowWithoutTemporalSaysWhatToSet(t *testing.T) {
	srv := newServer(serverOptions{serviceName: "rest-api"})
	rec := httptest.NewRecorder()
	srv.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/workflows?task_queue=platform-go", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want 503: %s", rec.Code, rec.Body)
	}
}

func TestTemporalSettingsComeFromTheChartsVariables(t *testing.T) {
	env := map[string]string{"TEMPORAL_ADDRESS": "temporal-frontend.temporal.svc:7233", "TEMPORAL_TASK_QUEUE": "platform-go"}
	cfg := temporalFromEnv(func(k string) string { return env[k] })
	if cfg.address != env["TEMPORAL_ADDRESS"] || cfg.taskQueue != "platform-go" || cfg.namespace != "default" {
		t.Fatalf("config %+v", cfg)
	}
}
