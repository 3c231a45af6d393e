package main

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
)

// randomID is prefix and n random bytes in hex: a workflow's, a room's or a job's id.
func randomID(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// doneIDs remembers the last `limit` job ids a consumer worked and acked, oldest forgotten first.
type doneIDs struct {
	mu    sync.Mutex
	limit int
	ids   map[string]struct{}
	order []string // ring of the remembered ids, next holds the oldest once full
	next  int
}

func newDoneIDs(limit int) *doneIDs {
	return &doneIDs{limit: limit, ids: make(map[string]struct{}, limit)}
}

func (d *doneIDs) has(id string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	_, ok := d.ids[id]
	return ok
}

func (d *doneIDs) add(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.ids[id]; ok {
		return
	}
	if len(d.order) < d.limit {
		d.order = append(d.order, id)
	} else {
		delete(d.ids, d.order[d.next])
		d.order[d.next] = id
		d.next = (d.next + 1) % d.limit
	}
	d.ids[id] = struct{}{}
}
