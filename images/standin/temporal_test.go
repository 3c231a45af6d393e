package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
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
	for _, in := range []workInput{{WorkMs: maxWorkMillis + 1}, {WaitMs: maxWorkMillis + 1}, {WaitMs: -1}} {
		if _, err := env.ExecuteActivity(activityName, in); err == nil {
			t.Errorf("%+v out of bounds was accepted", in)
		}
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
	cfg, err := temporalFromEnv(func(k string) string { return env[k] })
	if err != nil || cfg.address != env["TEMPORAL_ADDRESS"] || cfg.taskQueue != "platform-go" ||
		cfg.namespace != "default" || cfg.activitySlots != 0 {
		t.Fatalf("config %+v, error %v", cfg, err)
	}
}

func TestAWorkersActivitySlotsComeFromItsSettingAndABadOneSaysWhatToGive(t *testing.T) {
	cfg, err := temporalFromEnv(func(k string) string {
		return map[string]string{"TEMPORAL_MAX_CONCURRENT_ACTIVITIES": "2"}[k]
	})
	if err != nil || cfg.activitySlots != 2 {
		t.Fatalf("config %+v, error %v", cfg, err)
	}
	for _, bad := range []string{"0", "two", "1001"} {
		_, err := temporalFromEnv(func(k string) string {
			return map[string]string{"TEMPORAL_MAX_CONCURRENT_ACTIVITIES": bad}[k]
		})
		if err == nil || !strings.Contains(err.Error(), "TEMPORAL_MAX_CONCURRENT_ACTIVITIES") {
			t.Errorf("%q: error %v, want one naming the setting", bad, err)
		}
	}
}

func TestStartingWorkflowsRefusesMillisOrCountsOutOfBounds(t *testing.T) {
	srv := newServer(serverOptions{serviceName: "rest-api"})
	lazy, err := client.NewLazyClient(client.Options{HostPort: "127.0.0.1:1"}) // never dialled: the count is refused first
	if err != nil {
		t.Fatal(err)
	}
	srv.temporal = lazy
	for _, query := range []string{"work_ms=-1", "wait_ms=soon", "wait_ms=10001"} {
		rec := httptest.NewRecorder()
		srv.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/workflows?task_queue=platform-go&"+query, nil))
		name := strings.SplitN(query, "=", 2)[0]
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), name+"=") {
			t.Errorf("%s: status %d: %s", query, rec.Code, rec.Body)
		}
	}
	for _, query := range []string{"count=0", "count=many", "count=10001", "count=2&result=true"} {
		rec := httptest.NewRecorder()
		srv.routes().ServeHTTP(rec, httptest.NewRequest(http.MethodPost,
			"/workflows?task_queue=platform-go&"+query, nil))
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "count") {
			t.Errorf("%s: status %d: %s", query, rec.Code, rec.Body)
		}
	}
}

func TestAnActivitysWaitTakesWallTimeAndNoCPU(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivityWithOptions((&activities{hostname: "h", service: "s"}).run,
		activity.RegisterOptions{Name: activityName})
	started := time.Now()
	value, err := env.ExecuteActivity(activityName, workInput{WaitMs: 200})
	if err != nil {
		t.Fatal(err)
	}
	var out workResult
	if err := value.Get(&out); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(started); took < 200*time.Millisecond || out.CPUMs > 20 {
		t.Fatalf("took %s with %.1f ms of CPU, want at least 200 ms waited and no work", took, out.CPUMs)
	}
}

// startedRun is a workflow run that only knows its id.
type startedRun struct {
	client.WorkflowRun
	id string
}

func (r startedRun) GetID() string { return r.id }

func TestManyStartsRunSideBySideWithinTheirBound(t *testing.T) {
	var inFlight, most atomic.Int32
	ids, err := startMany(context.Background(), 40, func(context.Context) (client.WorkflowRun, error) {
		now := inFlight.Add(1)
		defer inFlight.Add(-1)
		for seen := most.Load(); now > seen && !most.CompareAndSwap(seen, now); seen = most.Load() {
		}
		time.Sleep(10 * time.Millisecond)
		return startedRun{id: fmt.Sprint(now)}, nil
	})
	if err != nil || len(ids) != 40 {
		t.Fatalf("%d ids, error %v: want all 40 started", len(ids), err)
	}
	if got := most.Load(); got < 2 || got > startConcurrency {
		t.Fatalf("%d starts in flight at most, want 2 to %d", got, startConcurrency)
	}
}

func TestARefusedStartStopsFurtherStartsAndCountsThoseMade(t *testing.T) {
	var calls atomic.Int32
	ids, err := startMany(context.Background(), 100, func(context.Context) (client.WorkflowRun, error) {
		if calls.Add(1) == 3 {
			return nil, errors.New("namespace rate limit exceeded")
		}
		time.Sleep(5 * time.Millisecond)
		return startedRun{id: "w"}, nil
	})
	if err == nil || !strings.Contains(err.Error(), "rate limit") {
		t.Fatalf("error %v, want the refusal", err)
	}
	if made := int(calls.Load()); made > 3+startConcurrency || len(ids) != made-1 {
		t.Fatalf("%d starts made and %d ids after the third was refused: want the rest not begun", made, len(ids))
	}
}
