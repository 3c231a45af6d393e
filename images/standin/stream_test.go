package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestStreamSendsTheServiceNameThenEchoesEachMessage(t *testing.T) {
	ts := httptest.NewServer(newServer(serverOptions{serviceName: "stt", hostname: "stt-7d9f"}).routes())
	defer ts.Close()
	conn, err := net.Dial("tcp", strings.TrimPrefix(ts.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "GET /stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
	reader := bufio.NewReader(conn)
	response, err := http.ReadResponse(reader, nil)
	if err != nil || response.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("expected 101 Switching Protocols, got %v %v", response, err)
	}
	if got := response.Header.Get("Sec-WebSocket-Accept"); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("expected RFC 6455's sample accept key, got %q", got)
	}
	if _, hello, err := readFrame(reader); err != nil || string(hello) != `{"hostname":"stt-7d9f","service":"stt"}` {
		t.Fatalf("expected the service's and the pod's names first, got %q %v", hello, err)
	}
	// A masked client frame, as a browser sends it.
	mask, text := []byte{1, 2, 3, 4}, []byte("hello")
	frame := append([]byte{0x81, 0x80 | byte(len(text))}, mask...)
	for i, b := range text {
		frame = append(frame, b^mask[i%4])
	}
	_, _ = conn.Write(frame)
	if opcode, echo, err := readFrame(reader); err != nil || opcode != opText || string(echo) != "hello" {
		t.Fatalf("expected the text message echoed, got %d %q %v", opcode, echo, err)
	}
}

func TestBytesAnswersWithTheRequestedSize(t *testing.T) {
	ts := httptest.NewServer(newServer(serverOptions{serviceName: "tts"}).routes())
	defer ts.Close()
	response, err := http.Get(ts.URL + "/bytes?size=100000")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(response.Body)
	if response.StatusCode != 200 || len(body) != 100000 || response.Header.Get("X-Service") != "tts" {
		t.Fatalf("expected 100000 bytes from tts, got %d bytes, status %d", len(body), response.StatusCode)
	}
	if response, _ := http.Get(ts.URL + "/bytes?size=-1"); response.StatusCode != http.StatusBadRequest {
		t.Fatalf("expected 400 for a negative size, got %d", response.StatusCode)
	}
}
