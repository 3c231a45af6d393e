package main

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

// fakeRedis answers AUTH (one password) and INFO over RESP on a loopback port, as Redis does.
func fakeRedis(t *testing.T, password, infoText string) string {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { listener.Close() })
	go func() {
		for {
			conn, err := listener.Accept()
			if err != nil {
				return
			}
			go func(conn net.Conn) {
				defer conn.Close()
				r := bufio.NewReader(conn)
				authed := password == ""
				for {
					var args []string
					header, err := r.ReadString('\n')
					if err != nil {
						return
					}
					n := 0
					for _, c := range strings.TrimSpace(header[1:]) {
						n = n*10 + int(c-'0')
					}
					for i := 0; i < n; i++ {
						_, _ = r.ReadString('\n')
						arg, _ := r.ReadString('\n')
						args = append(args, strings.TrimSpace(arg))
					}
					switch {
					case args[0] == "AUTH" && args[1] == password:
						authed = true
						conn.Write([]byte("+OK\r\n"))
					case args[0] == "AUTH":
						conn.Write([]byte("-WRONGPASS invalid username-password pair\r\n"))
					case !authed:
						conn.Write([]byte("-NOAUTH Authentication required.\r\n"))
					case args[0] == "INFO":
						conn.Write([]byte("$" + itoa(len(infoText)) + "\r\n" + infoText + "\r\n"))
					}
				}
			}(conn)
		}
	}()
	return listener.Addr().String()
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	if s == "" {
		return "0"
	}
	return s
}

const sampleInfo = "# Server\r\nuptime_in_seconds:42\r\n# Clients\r\nconnected_clients:3\r\n" +
	"# Memory\r\nused_memory:1048576\r\n# Persistence\r\naof_last_write_status:ok\r\n" +
	"# Keyspace\r\ndb0:keys=7,expires=1,avg_ttl=0\r\n"

func TestExportsInfoUnderRedisExporterNames(t *testing.T) {
	fields, err := info(fakeRedis(t, "pw", sampleInfo), "pw", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	text := exposition(fields, time.Millisecond)
	for _, want := range []string{"redis_up 1\n", "redis_connected_clients 3\n", "redis_memory_used_bytes 1.048576e+06\n",
		"redis_uptime_in_seconds 42\n", "redis_aof_last_write_ok 1\n", `redis_db_keys{db="db0"} 7`} {
		if !strings.Contains(text, want) {
			t.Errorf("exposition lacks %q:\n%s", want, text)
		}
	}
}

func TestAWrongPasswordIsDown(t *testing.T) {
	_, err := info(fakeRedis(t, "pw", sampleInfo), "nope", time.Second)
	if err == nil || !strings.Contains(err.Error(), "WRONGPASS") {
		t.Fatalf("a wrong password gave %v", err)
	}
	if text := exposition(nil, 0); !strings.Contains(text, "redis_up 0\n") {
		t.Fatalf("no fields exported %q", text)
	}
}

func TestAnUnreachableRedisIsAnError(t *testing.T) {
	listener, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := listener.Addr().String()
	listener.Close()
	if _, err := info(addr, "", time.Second); err == nil {
		t.Fatal("a closed port answered")
	}
}
