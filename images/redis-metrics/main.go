// Command redis-metrics exports a Redis server's health and INFO figures to Prometheus, under the names
// redis_exporter uses (redis_up, redis_connected_clients, redis_memory_used_bytes, redis_db_keys, ...), so alerts
// and dashboards written for it hold. redis_exporter itself is not served by the Go module proxy here, and the
// bitnami chart's exporter is a Bitnami image; this is the part of it LiveKit's Redis needs, standard library only.
//
// Each scrape opens one connection, authenticates with REDIS_PASSWORD, runs INFO and closes: redis_up is 0 when
// any of that fails, so a down, unreachable or password-refusing Redis is seen as down.
//
// Environment: REDIS_ADDR (default localhost:6379), REDIS_PASSWORD, LISTEN (default :9121).
package main

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// gauges and counters taken from INFO as they are, by INFO field -> metric name (redis_exporter's).
var infoMetrics = map[string]struct{ name, kind string }{
	"connected_clients":          {"redis_connected_clients", "gauge"},
	"blocked_clients":            {"redis_blocked_clients", "gauge"},
	"used_memory":                {"redis_memory_used_bytes", "gauge"},
	"maxmemory":                  {"redis_memory_max_bytes", "gauge"},
	"uptime_in_seconds":          {"redis_uptime_in_seconds", "gauge"},
	"total_commands_processed":   {"redis_commands_processed_total", "counter"},
	"total_connections_received": {"redis_connections_received_total", "counter"},
	"rejected_connections":       {"redis_rejected_connections_total", "counter"},
	"evicted_keys":               {"redis_evicted_keys_total", "counter"},
	"aof_last_write_status":      {"redis_aof_last_write_ok", "gauge"},
	"rdb_last_bgsave_status":     {"redis_rdb_last_bgsave_ok", "gauge"},
}

// command sends one RESP command and returns its reply: a simple string, an integer or a bulk string.
func command(rw *bufio.ReadWriter, args ...string) (string, error) {
	fmt.Fprintf(rw, "*%d\r\n", len(args))
	for _, arg := range args {
		fmt.Fprintf(rw, "$%d\r\n%s\r\n", len(arg), arg)
	}
	if err := rw.Flush(); err != nil {
		return "", err
	}
	line, err := rw.ReadString('\n')
	if err != nil {
		return "", err
	}
	line = strings.TrimRight(line, "\r\n")
	switch {
	case line == "":
		return "", fmt.Errorf("empty reply to %s", args[0])
	case line[0] == '+' || line[0] == ':':
		return line[1:], nil
	case line[0] == '-':
		return "", fmt.Errorf("%s: %s", args[0], line[1:])
	case line[0] == '$':
		size, err := strconv.Atoi(line[1:])
		if err != nil || size < 0 {
			return "", fmt.Errorf("bad bulk reply %q to %s", line, args[0])
		}
		body := make([]byte, size+2)
		if _, err := io.ReadFull(rw, body); err != nil {
			return "", err
		}
		return string(body[:size]), nil
	}
	return "", fmt.Errorf("unexpected reply %q to %s", line, args[0])
}

// info connects, authenticates and returns INFO's fields.
func info(addr, password string, timeout time.Duration) (map[string]string, error) {
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(timeout))
	rw := bufio.NewReadWriter(bufio.NewReader(conn), bufio.NewWriter(conn))
	if password != "" {
		if _, err := command(rw, "AUTH", password); err != nil {
			return nil, err
		}
	}
	text, err := command(rw, "INFO")
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		if key, value, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && !strings.HasPrefix(key, "#") {
			fields[key] = value
		}
	}
	return fields, nil
}

// exposition renders INFO's fields (nil when Redis could not be read) in Prometheus' text format.
func exposition(fields map[string]string, scrape time.Duration) string {
	var b strings.Builder
	up := 0
	if fields != nil {
		up = 1
	}
	fmt.Fprintf(&b, "# TYPE redis_up gauge\nredis_up %d\n", up)
	fmt.Fprintf(&b, "# TYPE redis_exporter_scrape_duration_seconds gauge\nredis_exporter_scrape_duration_seconds %g\n",
		scrape.Seconds())
	keys := make([]string, 0, len(infoMetrics))
	for key := range infoMetrics {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		raw, ok := fields[key]
		if !ok {
			continue
		}
		metric := infoMetrics[key]
		value, err := strconv.ParseFloat(raw, 64)
		if strings.HasSuffix(key, "_status") {
			value, err = map[bool]float64{true: 1, false: 0}[raw == "ok"], nil
		}
		if err == nil {
			fmt.Fprintf(&b, "# TYPE %s %s\n%s %g\n", metric.name, metric.kind, metric.name, value)
		}
	}
	dbs := []string{}
	for key := range fields {
		if strings.HasPrefix(key, "db") {
			dbs = append(dbs, key)
		}
	}
	sort.Strings(dbs)
	if len(dbs) > 0 {
		b.WriteString("# TYPE redis_db_keys gauge\n")
	}
	for _, db := range dbs {
		for _, part := range strings.Split(fields[db], ",") {
			if name, value, ok := strings.Cut(part, "="); ok && name == "keys" {
				fmt.Fprintf(&b, "redis_db_keys{db=%q} %s\n", db, value)
			}
		}
	}
	return b.String()
}

func main() {
	addr, listen := os.Getenv("REDIS_ADDR"), os.Getenv("LISTEN")
	if addr == "" {
		addr = "localhost:6379"
	}
	if listen == "" {
		listen = ":9121"
	}
	password := os.Getenv("REDIS_PASSWORD")
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, _ *http.Request) {
		start := time.Now()
		fields, err := info(addr, password, 3*time.Second)
		if err != nil {
			log.Printf("redis-metrics: %s: %v", addr, err)
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		_, _ = io.WriteString(w, exposition(fields, time.Since(start)))
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	log.Printf("redis-metrics: exporting %s on %s", addr, listen)
	server := &http.Server{Addr: listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(server.ListenAndServe())
}
