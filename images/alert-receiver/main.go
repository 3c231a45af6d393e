// Command alert-receiver is Alertmanager's webhook receiver on the kind cluster: it records every notification it
// gets, with the time it got it, so the e2e suite can read what was delivered and when.
//
//	POST /alerts   an Alertmanager webhook payload; recorded
//	GET  /alerts   JSON list of {"received": RFC 3339 time, "payload": the payload as sent}
//	GET  /healthz  200
package main

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

const maxPayload = 1 << 20 // Alertmanager's notifications are a few kB; bound what one request may store

type record struct {
	Received time.Time       `json:"received"`
	Payload  json.RawMessage `json:"payload"`
}

type store struct {
	mu      sync.Mutex
	records []record
	limit   int
}

func (s *store) add(r record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.records = append(s.records, r)
	if len(s.records) > s.limit {
		s.records = s.records[len(s.records)-s.limit:]
	}
}

func (s *store) all() []record {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]record{}, s.records...)
}

func handler(s *store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("/alerts", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodPost:
			body, err := io.ReadAll(io.LimitReader(r.Body, maxPayload))
			if err != nil || !json.Valid(body) {
				http.Error(w, "body must be a JSON webhook payload", http.StatusBadRequest)
				return
			}
			s.add(record{Received: time.Now().UTC(), Payload: body})
			w.WriteHeader(http.StatusOK)
		case http.MethodGet:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(s.all())
		default:
			http.Error(w, "GET or POST", http.StatusMethodNotAllowed)
		}
	})
	return mux
}

func main() {
	addr := ":" + envOr("PORT", "8080")
	log.Printf("alert-receiver listening on %s", addr)
	server := &http.Server{Addr: addr, Handler: handler(&store{limit: 1000}), ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(server.ListenAndServe())
}

func envOr(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}
