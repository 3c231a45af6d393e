package main

import (
	"runtime"
	"testing"
)

// heapInUse is the live heap in bytes after a collection: what the ballast keeps reachable.
func heapInUse() uint64 {
	runtime.GC()
	var stats runtime.MemStats
	runtime.ReadMemStats(&stats)
	return stats.HeapInuse
}

func TestMemoryIsHeldUntilReleased(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	code, body := do(t, "POST", ts.URL+"/admin/memory?mib=64")
	if got := decode[map[string]int](t, body); code != 200 || got["held_mib"] != 64 {
		t.Fatalf("POST /admin/memory?mib=64 = %d %v", code, got)
	}
	holding := heapInUse()
	code, body = do(t, "POST", ts.URL+"/admin/memory?mib=0")
	if got := decode[map[string]int](t, body); code != 200 || got["held_mib"] != 0 {
		t.Fatalf("POST /admin/memory?mib=0 = %d %v", code, got)
	}
	// Other tests' garbage may be collected meanwhile too: at least the 64 MiB held, less a page table's rounding.
	if freed := int64(holding) - int64(heapInUse()); freed < 63<<20 {
		t.Fatalf("the release freed %d bytes of the heap, want the 64 MiB held", freed)
	}
}

func TestMemoryRefusesWhatIsNotAnAmount(t *testing.T) {
	_, ts := newTestServer(t, serverOptions{})
	for _, query := range []string{"", "mib=-1", "mib=lots", "mib=1025"} {
		code, body := do(t, "POST", ts.URL+"/admin/memory?"+query)
		if code != 400 {
			t.Fatalf("POST /admin/memory?%s = %d %s, want 400", query, code, body)
		}
	}
	if code, _ := do(t, "GET", ts.URL+"/admin/memory?mib=1"); code != 405 {
		t.Fatalf("GET /admin/memory = %d, want 405", code)
	}
}
