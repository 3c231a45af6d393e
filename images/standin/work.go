package main

import (
	"crypto/sha256"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// maxWorkMillis bounds one /work request, so a typo in a load test cannot wedge a pod for minutes.
const maxWorkMillis = 10_000

// millisParam reads an optional query parameter of milliseconds (absent: 0), from 0 to maxWorkMillis.
func millisParam(r *http.Request, name string) (int, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return 0, nil
	}
	ms, err := strconv.Atoi(raw)
	if err != nil || ms < 0 || ms > maxWorkMillis {
		return 0, fmt.Errorf("%s=%q is not valid: give a whole number of milliseconds from 0 to %d", name, raw,
			maxWorkMillis)
	}
	return ms, nil
}

// handleWork burns ms milliseconds of CPU time: GET /work?ms=N.
//
// It counts CPU time, not wall time: under a CPU limit the kernel throttles the container and the
// request takes longer, but each request still costs the same CPU, which is what makes an HPA's
// CPU utilisation proportional to the request rate.
func (s *server) handleWork(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("ms")
	ms, err := strconv.Atoi(raw)
	if err != nil || ms < 0 || ms > maxWorkMillis {
		http.Error(w, fmt.Sprintf("ms=%q is not valid: give a whole number of milliseconds from 0 to %d", raw, maxWorkMillis),
			http.StatusBadRequest)
		return
	}
	start := time.Now()
	spent, err := burnCPU(time.Duration(ms) * time.Millisecond)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]float64{
		"cpu_ms":  float64(spent.Microseconds()) / 1000,
		"wall_ms": float64(time.Since(start).Microseconds()) / 1000,
	})
}

// burnCPU hashes until the calling thread has used budget of CPU time and returns what it used.
// The goroutine is locked to its OS thread so the thread's CPU clock measures this request alone.
func burnCPU(budget time.Duration) (time.Duration, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	begin, err := threadCPUTime()
	if err != nil {
		return 0, err
	}
	var block [sha256.Size]byte
	for {
		used, err := threadCPUTime()
		if err != nil {
			return 0, err
		}
		if used-begin >= budget {
			return used - begin, nil
		}
		// About 50 µs of hashing between clock reads: fine-grained enough, cheap to check.
		for range 200 {
			block = sha256.Sum256(block[:])
		}
	}
}

func threadCPUTime() (time.Duration, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, fmt.Errorf("cannot read the thread CPU clock: %w", err)
	}
	return time.Duration(ts.Nano()), nil
}
