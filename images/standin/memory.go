package main

import (
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
)

// maxHoldMiB bounds POST /admin/memory, so a typo cannot push a pod past any sane memory limit.
const maxHoldMiB = 1024

const pageSize = 4096

// ballast is memory the process holds on request, each page written so the kernel charges it to the container's
// working set (what metrics-server reports and a memory HPA scales on).
type ballast struct {
	mu   sync.Mutex
	held []byte
}

// hold replaces what is held with mib MiB (0 lets it all go) and returns the MiB now held. Released memory goes back
// to the kernel at once: without that, Go's scavenger keeps it for minutes and the working set would not fall.
func (b *ballast) hold(mib int) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held = nil
	debug.FreeOSMemory()
	if mib > 0 {
		held := make([]byte, mib<<20)
		for i := 0; i < len(held); i += pageSize {
			held[i] = 1
		}
		b.held = held
	}
	return len(b.held) >> 20
}

// handleMemory holds N MiB until told otherwise: POST /admin/memory?mib=N (0 releases).
func (s *server) handleMemory(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("mib")
	mib, err := strconv.Atoi(raw)
	if err != nil || mib < 0 || mib > maxHoldMiB {
		http.Error(w, fmt.Sprintf("mib=%q is not valid: give a whole number of MiB from 0 to %d", raw, maxHoldMiB),
			http.StatusBadRequest)
		return
	}
	held := s.ballast.hold(mib)
	log.Printf("standin: holding %d MiB", held)
	writeJSON(w, http.StatusOK, map[string]int{"held_mib": held})
}
